"""The file of implausible schools (tests/fixtures/implausible.json) and the located problem each
door must answer with: the CLI (exit 2), the web import (422) and the API import (422).

Each school holds one implausible value; the problem names its JSON path and says in Chinese and
English what cannot be true. None of these is a rule of the standard: they are campusplan's
plausibility checks (engine/plausibility.py, the profile and fact bounds of the document).
"""

from __future__ import annotations

from pathlib import Path

FILE = Path(__file__).resolve().parent / "fixtures" / "implausible.json"

# (JSON path, Chinese reason, English reason)
EXPECTED = [
    ("$.schools[0].stages.senior", "办学类型 211（小学）不设高中学段",
     "school type 211 (Primary school) has no senior stage"),
    ("$.schools[1].stages.junior", "办学类型 312（九年一贯制学校）设初中学段，但未填写该学段",
     "school type 312 (Nine-year school) has a junior stage, but it is not given"),
    ("$.schools[2].stages.primary.classes", "学生数为 200 但班级数为 0",
     "200 students but 0 classes"),
    ("$.schools[3].stages.primary.students", "班级数为 5 但学生数为 0",
     "5 classes but 0 students"),
    ("$.schools[4].stages.primary.max_class_size", "最大班额 31 人大于本学段学生数 30 人",
     "largest class 31 exceeds the stage's 30 students"),
    ("$.schools[5].stages.primary.max_class_size",
     "最大班额 33 人小于平均班额 34 人（200 人 ÷ 6 个班，向上取整）",
     "largest class 33 is smaller than the average class 34"),
    ("$.schools[6].stages.primary.classes", "超出范围 0–500：100000",
     "out of range 0–500: 100000"),
    ("$.schools[7].smart_phase.since", "当前阶段开始日期 2099-01-01 晚于评估日期",
     "the phase starts on 2099-01-01, after the assessment date"),
    ("$.schools[8].teachers", "专任教师数为 0，但有学生 200 人", "0 teachers for 200 students"),
    ("$.schools[9].facts.student_computers_total", "应为数字，实际为 inf",
     "must be a number, got inf"),  # 1e999 in JSON reads as inf
    ("$.schools[9].facts.teacher_computers_total", "应为数字，实际为 nan",
     "must be a number, got nan"),
    ("$.schools[9].facts.public_terminals", "应为数字，实际为 inf", "must be a number, got inf"),
    ("$.schools[9].facts.computer_room_servers", "超出范围 0–100：1.111111e+399",
     "out of range 0–100: 1.111111e+399"),  # a 400-digit number
    ("$.schools[10].name", "文本过长：最多 200 个字符", "too long: at most 200 characters"),
]
