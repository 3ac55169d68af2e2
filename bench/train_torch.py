"""PyTorch column of `npm run bench:train` (bench/train.ts runs it): the lecture's reference CNN
(conv 5x5x16 same relu, maxpool 2, conv 5x5x32 same relu, maxpool 2, dense 128 relu, dense 10;
batch 64; Adam lr 1e-3; softmax cross-entropy) trained on the same MNIST IDX files as ours,
pixels scaled to [0, 1] as loadMnist does, on the same 50K training images when --train-index
names the file bench/train.ts writes (int32 little-endian indices into the training file).

Prints one JSON line: seconds per epoch (full epochs, or a slice of batches scaled to a full
epoch), CPU seconds per epoch, and the test accuracy when it trained full epochs.
No downloads: it reads only the files it is given.
"""
import argparse
import json
import math
import resource
import sys
import time

import numpy as np
import torch
from torch import nn


def read_idx(path, magic):
    """An unsigned-byte IDX file (LeCun et al.): big-endian magic, dims, then the bytes."""
    with open(path, "rb") as f:
        data = f.read()
    found = int.from_bytes(data[0:4], "big")
    if found != magic:
        sys.exit(f"train_torch.py: {path} has magic number {found} at byte offset 0, expected {magic}")
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def reference_model():
    # conv 5x5x16 same relu, pool 2, conv 5x5x32 same relu, pool 2, dense 128 relu, dense 10
    return nn.Sequential(
        nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(7 * 7 * 32, 128), nn.ReLU(), nn.Linear(128, 10),
    )


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--train-images", required=True)
    p.add_argument("--train-labels", required=True)
    p.add_argument("--test-images", required=True)
    p.add_argument("--test-labels", required=True)
    p.add_argument("--train-index", help="int32 little-endian indices of the training split (default: all)")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--max-batches", type=int, default=0, help="train this many batches only and scale the time to an epoch")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: PyTorch's default)")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()

    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    images = read_idx(a.train_images, 2051)
    labels = read_idx(a.train_labels, 2049)
    if a.train_index:
        index = np.fromfile(a.train_index, dtype="<i4")
        images, labels = images[index], labels[index]
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)  # [N, 1, 28, 28]
    y = torch.from_numpy(labels.astype(np.int64))
    count = x.shape[0]
    per_epoch = math.ceil(count / a.batch_size)

    model = reference_model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        return loss

    # one warm-up batch (first allocations, oneDNN primitive creation), as bench/train.ts does for ours
    step(x[: a.batch_size], y[: a.batch_size])

    generator = torch.Generator().manual_seed(a.seed)
    epochs = []
    cpu0 = cpu_seconds()
    batches_run = 0
    for epoch in range(1 if a.max_batches else a.epochs):
        order = torch.randperm(count, generator=generator)
        start = time.perf_counter()
        total = 0.0
        batches = min(per_epoch, a.max_batches) if a.max_batches else per_epoch
        for b in range(batches):
            idx = order[b * a.batch_size: (b + 1) * a.batch_size]
            total += float(step(x[idx], y[idx]))
        seconds = time.perf_counter() - start
        batches_run += batches
        epochs.append({"epoch": epoch + 1, "seconds": seconds * per_epoch / batches, "loss": total / batches})
    cpu = (cpu_seconds() - cpu0) / batches_run * per_epoch

    accuracy = None
    if not a.max_batches:
        tx = torch.from_numpy(read_idx(a.test_images, 2051).astype(np.float32) / 255.0).unsqueeze(1)
        ty = torch.from_numpy(read_idx(a.test_labels, 2049).astype(np.int64))
        model.eval()
        correct = 0
        with torch.no_grad():
            for i in range(0, tx.shape[0], 1000):
                correct += int((model(tx[i: i + 1000]).argmax(1) == ty[i: i + 1000]).sum())
        accuracy = correct / tx.shape[0]

    print(json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(), "train_count": count,
        "seconds_per_epoch": sum(e["seconds"] for e in epochs) / len(epochs), "cpu_seconds_per_epoch": cpu,
        "epochs": epochs, "batches": batches_run, "test_accuracy": accuracy,
    }))


if __name__ == "__main__":
    main()
