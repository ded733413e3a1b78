#!/usr/bin/env python3
"""csv2xlsx.py -- a roster CSV as the workbook an office keeps in Excel.

    csv2xlsx.py OUT.xlsx [--front SHEET] SHEET=IN.csv [SHEET=IN.csv ...]

Each IN.csv (UTF-8, BOM or not) becomes the sheet SHEET of OUT.xlsx, cell
by cell, typed the way Excel types what is keyed in: whole numbers without
a leading zero (ids, phones, min_on_duty) and decimals (lat, lon) become
number cells, a single date (2026-04-20) a date cell in Chinese Excel's
yyyy/m/d format; everything else (d0001, date ranges, names) stays text.
With --front, an extra sheet of notes comes first, so the roster is not
the first sheet and has to be named (OUT.xlsx#SHEET).

Used by tests/xlsx-input.sh and bench/xlsx-read.sh.
"""
import csv
import datetime
import re
import sys

import openpyxl

WHOLE = re.compile(r'-?(0|[1-9][0-9]{0,14})$')
DECIMAL = re.compile(r'-?[0-9]+\.[0-9]+$')
DATE = re.compile(r'([0-9]{4})-([0-9]{2})-([0-9]{2})$')


def cell_value(text):
    """The value Excel stores for text typed into a General cell."""
    if WHOLE.match(text):
        return int(text), None
    if DECIMAL.match(text):
        return float(text), None
    m = DATE.match(text)
    if m:
        return datetime.datetime(*map(int, m.groups())), 'yyyy/m/d'
    return text, None


def add_sheet(wb, name, path):
    ws = wb.create_sheet(name)
    with open(path, encoding='utf-8-sig', newline='') as f:
        for r, row in enumerate(csv.reader(f), start=1):
            for c, text in enumerate(row, start=1):
                if text == '':
                    continue
                value, fmt = cell_value(text) if r > 1 else (text, None)
                cell = ws.cell(row=r, column=c, value=value)
                if fmt:
                    cell.number_format = fmt


def main(argv):
    out, args = argv[1], argv[2:]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if args and args[0] == '--front':
        notes = wb.create_sheet(args[1])
        notes['A1'] = '说明：村医名单，每行一名村医。'
        args = args[2:]
    for spec in args:
        name, path = spec.split('=', 1)
        add_sheet(wb, name, path)
    wb.save(out)


if __name__ == '__main__':
    main(sys.argv)
