from playground.commands.cli import main

raise SystemExit(main())
