"""Plans and budgets (pure): gaps → priced plan lines → phased plan under a budget."""
