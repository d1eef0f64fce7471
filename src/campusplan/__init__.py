"""campusplan — 中小学校信息化建设规划与达标评估系统."""

__version__ = "0.1.0"
