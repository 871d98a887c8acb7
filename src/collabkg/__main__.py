"""``python -m collabkg``: the same as the ``collabkg`` command."""

from collabkg.cli import main

if __name__ == "__main__":
    main(prog_name="collabkg")
