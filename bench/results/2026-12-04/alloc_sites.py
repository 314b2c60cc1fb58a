#!/usr/bin/env python3
"""Bytes allocated per training step by allocation site, from `jfr print --events jdk.ObjectAllocationOutsideTLAB
--stack-depth 8` of a run under -XX:-UseTLAB (every allocation is then an event with its stack). Steps are counted
by the loss tensor that Ops.crossEntropy allocates once per step. Usage: alloc_sites.py PRINTED.txt [rows]"""
import collections
import re
import sys

text = open(sys.argv[1]).read()
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 40
units = {'bytes': 1, 'byte': 1, 'kB': 1024, 'MB': 1 << 20}
count, size = collections.Counter(), collections.Counter()
steps = 0
for event in text.split('jdk.ObjectAllocationOutsideTLAB {')[1:]:
    cls = re.search(r'objectClass = (\S+)', event).group(1)
    amount, unit = re.search(r'allocationSize = ([\d.,]+) (\w+)', event).groups()
    frames = re.findall(r'^\s+(\S+)\(.*?\) line: (\d+)', event, re.M)
    site = (cls,) + tuple('.'.join(f.split('.')[-2:]) + ':' + line for f, line in frames[:3])
    count[site] += 1
    size[site] += float(amount.replace(',', '')) * units.get(unit, 1)
    if cls == 'jcnn.core.Tensor' and 'Ops.crossEntropy' in event:
        steps += 1
total = sum(size.values())
print(f'{steps} steps, {total / steps:.0f} bytes per step in {len(count)} sites')
for site, b in size.most_common(rows):
    print(f'{b / steps:7.0f} B {count[site] / steps:5.1f}/step  {" <- ".join(site)}')
