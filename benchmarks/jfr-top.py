"""Top frames of a `jfr print --events jdk.ExecutionSample` dump: by thread, self and inclusive samples."""
import collections
import re
import sys

PATTERN = sys.argv[2] if len(sys.argv) > 2 else (
    r'io\.exogate|springframework|graphql\.(execution|GraphQL)|dataloader|lettuce|bucket4j|logback|jackson\.databind\.ObjectMapper|micrometer')

text = open(sys.argv[1]).read()
samples = text.split('jdk.ExecutionSample')[1:]
own = collections.Counter()
inclusive = collections.Counter()
threads = collections.Counter()
count = 0
for sample in samples:
    thread = re.search(r'sampledThread = "([^"]*)"', sample)
    if thread:
        threads[re.sub(r'\d+', 'N', thread.group(1))] += 1
    frames = re.findall(r'^\s+([\w$.<>/]+)\(', sample, re.M)
    if not frames:
        continue
    count += 1
    own[frames[0]] += 1
    for frame in set(frames):
        inclusive[frame] += 1
print(f'{count} samples; threads: ' + ', '.join(f'{t} {n}' for t, n in threads.most_common(6)))
print('self:')
for frame, n in own.most_common(12):
    print(f'  {100 * n / count:5.1f}%  {frame}')
print('inclusive (application and framework frames):')
shown = 0
for frame, n in inclusive.most_common(2000):
    if re.search(PATTERN, frame) and shown < 45:
        print(f'  {100 * n / count:5.1f}%  {frame}')
        shown += 1
