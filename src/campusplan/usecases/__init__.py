"""The application layer: every write or composition, taking an actor (never a request).

The three doors — web views, REST operations, CLI commands — parse their input, call one
function here (or a selector of a Django app for a plain read), and render the result. Nothing
in a door re-composes a use case, so the three cannot drift apart. See
docs/development/architecture.md.

    imports   import files: read once, one scope policy, plan, apply, audit, re-assess
    facts     set one fact of a school, room or service: the import path, audit, re-assess
    runs      assess stored schools and keep the run (audited from every door)
    plans     a priced, phased plan from the stored run (each district's price list; budget
              changes only re-phase the cached priced lines)
    prices    district price lists (协议供货价): edit a line, import / export the workbook
    projects  plan lines taken up as projects; completing one writes facts and re-assesses
    reports   the school Word report, district and city workbooks, from the stored run
    exports   the survey workbook and exports of stored facts with the stored results
    scoping   which stored schools an actor may read or change
"""
