#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a file with translatable strings is missing from
po/POTFILES.in, or the list names a file that has none or is gone.

Translatable: C calls _("…"), N_("…"), C_("…", …), NC_(…), g_dngettext,
ngettext; GtkBuilder attributes translatable="yes"; the .desktop.in and
.metainfo.xml.in templates."""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
C_CALL = re.compile(r'(?<![A-Za-z0-9_])(?:N?C?_|g_dngettext|ngettext)\s*\(\s*"')
UI_ATTR = re.compile(r'translatable="yes"')


def translatable(path):
    name = os.path.basename(path)
    if name.endswith(('.desktop.in', '.metainfo.xml.in')):
        return True
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return False
    if name.endswith('.c'):
        return bool(C_CALL.search(text))
    if name.endswith('.ui'):
        return bool(UI_ATTR.search(text))
    return False


found = set()
for top in ('app', 'ui', 'engine', 'resources'):
    for dirpath, _dirs, files in os.walk(os.path.join(root, top)):
        for f in files:
            full = os.path.join(dirpath, f)
            if translatable(full):
                found.add(os.path.relpath(full, root))

listed = set()
with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith('#'):
            listed.add(line)

missing = sorted(found - listed)
stale = sorted(listed - found)
for path in missing:
    print(f'po/POTFILES.in: missing {path} (it has translatable strings)')
for path in stale:
    print(f'po/POTFILES.in: {path} has no translatable strings or does not exist')
print(f'{len(found)} files with translatable strings, {len(listed)} listed')
sys.exit(1 if missing or stale else 0)
