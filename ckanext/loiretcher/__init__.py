"""CKAN extension of the Département de Loir-et-Cher open data portal."""
