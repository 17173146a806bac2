#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The small .safetensors checkpoints of tests/data/safetensors, written by
# hand (the format is 8 bytes of little-endian header length, a JSON
# header, the raw little-endian data), and the reference values of
# test-safetensors.  Run from tests/:
#   /usr/bin/python3 reference/make-safetensors-reference.py
# (numpy 1.24.2 and, for bfloat16, python3-torch 1.13.1+dfsg-4 from Debian 12.)
import hashlib
import json
import struct

import numpy as np


def write_safetensors(path, tensors, metadata=None):
    """tensors: list of (name, dtype string, shape, raw bytes), in data order."""
    header = {}
    offset = 0
    for name, dtype, shape, raw in tensors:
        header[name] = {'dtype': dtype, 'shape': list(shape),
                        'data_offsets': [offset, offset + len(raw)]}
        offset += len(raw)
    if metadata is not None:
        header['__metadata__'] = metadata
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)          # the format pads to 8 bytes
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for _, _, _, raw in tensors:
            f.write(raw)


def bf16_bits(values):
    """Round-to-nearest-even float32 -> bfloat16 bit patterns (torch's rule)."""
    bits = np.asarray(values, dtype='<f4').view('<u4').astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype('<u2')


# tiny/: a GPT-2-like checkpoint: BF16 embeddings (6 rows, the vocabulary
# has 5 tokens: padded), an F16 head, an F32 norm and an I64 buffer.
emb = (np.arange(24, dtype=np.float64).reshape(6, 4) - 11.5) / 3
head = (np.arange(24, dtype=np.float64).reshape(6, 4) - 7) / 16
write_safetensors('data/safetensors/tiny/model.safetensors', [
    ('transformer.wte.weight', 'BF16', (6, 4), bf16_bits(emb.astype(np.float32)).tobytes()),
    ('lm_head.weight', 'F16', (6, 4), head.astype('<f2').tobytes()),
    ('transformer.ln_f.weight', 'F32', (4,), np.ones(4, dtype='<f4').tobytes()),
    ('transformer.h.0.attn.bias', 'I64', (2,), np.array([1, 2], dtype='<i8').tobytes()),
], metadata={'format': 'pt'})
tokenizer = {
    'version': '1.0',
    'added_tokens': [{'id': 4, 'content': '<|endoftext|>', 'special': True}],
    'pre_tokenizer': {'type': 'ByteLevel', 'add_prefix_space': False},
    'decoder': {'type': 'ByteLevel'},
    'model': {'type': 'BPE', 'vocab': {'the': 0, '\u0120the': 1, '\u0120caf\u00c3\u00a9': 2,
                                       '\u010a': 3, '<|endoftext|>': 4}, 'merges': []},
}
with open('data/safetensors/tiny/tokenizer.json', 'w') as f:
    json.dump(tokenizer, f, ensure_ascii=False)

# sharded/: an index over two shards; the embeddings (F16, 4 x 3) are in
# the second; a SentencePiece-style vocab.txt beside them.
spiece = (np.arange(12, dtype=np.float64).reshape(4, 3) - 5) / 4
write_safetensors('data/safetensors/sharded/model-00001-of-00002.safetensors', [
    ('model.norm.weight', 'F32', (3,), np.ones(3, dtype='<f4').tobytes()),
])
write_safetensors('data/safetensors/sharded/model-00002-of-00002.safetensors', [
    ('model.embed_tokens.weight', 'F16', (4, 3), spiece.astype('<f2').tobytes()),
])
with open('data/safetensors/sharded/model.safetensors.index.json', 'w') as f:
    json.dump({'metadata': {'total_size': 36},
               'weight_map': {'model.norm.weight': 'model-00001-of-00002.safetensors',
                              'model.embed_tokens.weight': 'model-00002-of-00002.safetensors'}},
              f, indent=2)
with open('data/safetensors/sharded/vocab.txt', 'w') as f:
    f.write('<unk>\n\u2581the\n\u2581cat\ns\n')

# References for the test.
print('tiny embeddings as float32 (row-major):')
print(', '.join('%.9g' % v for v in (bf16_bits(emb.astype(np.float32)).astype('<u4') << 16)
                .view('<f4').ravel()))
print('sharded embeddings as float32:')
print(', '.join('%.9g' % v for v in spiece.astype('<f2').astype('<f4').ravel()))
# Every float16 bit pattern through numpy, every bfloat16 one through torch.
all16 = np.arange(65536, dtype='<u2')
f16 = all16.view('<f2').astype('<f4').tobytes()
print('sha256 of numpy float16 -> float32, all 65536 patterns:', hashlib.sha256(f16).hexdigest())
try:
    import torch
    bf = torch.from_numpy(all16.astype(np.int16)).view(torch.bfloat16).to(torch.float32).numpy()
    print('sha256 of torch bfloat16 -> float32, all 65536 patterns:',
          hashlib.sha256(bf.astype('<f4').tobytes()).hexdigest(), '(torch %s)' % torch.__version__)
except ImportError:
    print('torch missing: no bfloat16 reference')
