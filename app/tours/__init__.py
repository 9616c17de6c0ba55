"""Supervisors' inspection tours (督导检查) on the service side: post coordinates, tour-plan jobs
and their versions, exports and the calendar entries. The engine is `solver.tours`."""
