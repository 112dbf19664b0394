from dxassess.cli import main

main()
