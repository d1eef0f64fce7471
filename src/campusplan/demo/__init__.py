"""A realistic synthetic population (16 Beijing districts), as input documents. Pure."""
