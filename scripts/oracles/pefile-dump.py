#!/usr/bin/python3
"""Dumps exports, imports and delay imports of many PE files as one JSON object, using pefile.

An independent oracle for Thunk's parser tests: run with Debian's /usr/bin/python3 (python3-pefile).
Usage: pefile-dump.py FILE...   ->   {"FILE": {"exportDirectory": [rva, size] | null, "exports": [...], ...}}
"""
import json
import sys

import pefile

DIRECTORIES = [
    pefile.DIRECTORY_ENTRY['IMAGE_DIRECTORY_ENTRY_EXPORT'],
    pefile.DIRECTORY_ENTRY['IMAGE_DIRECTORY_ENTRY_IMPORT'],
    pefile.DIRECTORY_ENTRY['IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT'],
]


def text(value):
    return None if value is None else value.decode('latin1')


def imported(entries):
    return [
        {
            'dll': text(entry.dll),
            'functions': [{'name': text(imp.name), 'ordinal': imp.ordinal if imp.name is None else None} for imp in entry.imports],
        }
        for entry in entries
    ]


def dump(path):
    pe = pefile.PE(path, fast_load=True)
    try:
        pe.parse_data_directories(directories=DIRECTORIES)
        export_dir = pe.OPTIONAL_HEADER.DATA_DIRECTORY[0]
        exports = None
        if hasattr(pe, 'DIRECTORY_ENTRY_EXPORT'):
            exports = [
                {'ordinal': s.ordinal, 'name': text(s.name), 'address': s.address, 'forwarder': text(s.forwarder)}
                for s in pe.DIRECTORY_ENTRY_EXPORT.symbols
            ]
        return {
            'machine': pe.FILE_HEADER.Machine,
            'exportDirectory': [export_dir.VirtualAddress, export_dir.Size] if export_dir.VirtualAddress else None,
            'exports': exports,
            'imports': imported(getattr(pe, 'DIRECTORY_ENTRY_IMPORT', [])),
            'delayImports': imported(getattr(pe, 'DIRECTORY_ENTRY_DELAY_IMPORT', [])),
            'warnings': pe.get_warnings(),
        }
    finally:
        pe.close()


def main():
    result = {}
    for path in sys.argv[1:]:
        try:
            result[path] = dump(path)
        except Exception as error:  # one unreadable file must not hide the others
            result[path] = {'error': f'{type(error).__name__}: {error}'}
    json.dump(result, sys.stdout)


if __name__ == '__main__':
    main()
