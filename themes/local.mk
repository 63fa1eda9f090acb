# Shipped themes.
