"""The yearly survey campaign (填报任务): schools fill, the district reviews, the city confirms."""
