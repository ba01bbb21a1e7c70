"""Pure programme logic: plain data in, plain data out, no IO and no backend imports."""
