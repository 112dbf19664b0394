"""Row heights of a workbook as LibreOffice Calc lays it out: for every row of every sheet, the
height the file gives it and the height Calc needs to show all its (wrapped) text, in 1/100 mm.

Run by the tests with the system Python, which has LibreOffice's UNO bridge (python3-uno):
    python3 row_heights.py WORKBOOK PROFILE_DIR  ->  JSON {sheet: [[given, needed], ...]}
"""

import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(300):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # noqa: BLE001 - not listening yet
            time.sleep(0.2)
    raise SystemExit("LibreOffice did not start")


def main(path, profile):
    pipe = f"dxassess_rows_{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        hidden = PropertyValue()
        hidden.Name, hidden.Value = "Hidden", True
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0, (hidden,))
        out = {}
        for index in range(doc.Sheets.Count):
            sheet = doc.Sheets.getByIndex(index)
            cursor = sheet.createCursor()
            cursor.gotoEndOfUsedArea(False)
            heights = []
            for r in range(cursor.RangeAddress.EndRow + 1):
                row = sheet.Rows.getByIndex(r)
                given = row.Height
                row.OptimalHeight = True
                heights.append([given, row.Height])
            out[sheet.Name] = heights
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge closes as the office quits
            pass
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
