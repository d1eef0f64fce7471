"""Reports (pure, no Django): a school's Word report, a district and a city Excel workbook.

Every builder takes a `Planned` (an assessment plus its phased plan, see `content.py`) and
writes to a path or a binary stream, so the CLI writes files and the web app streams downloads
from the same code. Chinese by default, English with `lang="en"`.
"""
