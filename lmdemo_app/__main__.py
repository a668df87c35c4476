"""``python -m lmdemo_app deploy OWNER/NAME [--dry-run]``: put the app on a Hugging Face Space."""

import sys

from lmdemo_app import deploy

COMMANDS = {"deploy": deploy.main}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        print(f"usage: python -m lmdemo_app {{{','.join(COMMANDS)}}} ...", file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main())
