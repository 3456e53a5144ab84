from pytest_thrillpots.cli import main

raise SystemExit(main())
