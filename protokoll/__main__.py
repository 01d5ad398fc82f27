from protokoll.cli import main

raise SystemExit(main())
