"""Data exchange (pure, no Django): survey workbooks generated from the fact dictionary, readers
and writers for .xlsx/.csv/.json, the Snipe-IT inventory mapping, and the merge/validate/diff of
incoming records against stored school documents. The Django apps call it; see
docs/data-exchange.md.
"""
