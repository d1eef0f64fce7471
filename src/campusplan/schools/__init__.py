"""Districts, schools, campuses, rooms, devices, services and their facts."""
