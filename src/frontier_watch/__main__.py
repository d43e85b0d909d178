from frontier_watch.cli import main

raise SystemExit(main())
