"""`python -m explorer.publish`: the one publish command (explorer.publish.command)."""

from explorer.publish.command import main

raise SystemExit(main())
