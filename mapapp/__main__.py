"""`python -m mapapp`: the same command as `mapapp`."""
from .cli import main

main(prog_name="mapapp")
