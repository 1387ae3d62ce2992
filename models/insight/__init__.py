"""Figures read from the data: health, the Studio, referrals, spending."""
