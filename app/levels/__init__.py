"""Duty levels (常态, 三级, 二级, 一级): each level's coverage profile, what a level cancels, and the
levels declared for units and periods."""
