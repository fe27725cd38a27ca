"""The data of the workflow example: scikit-learn's 8x8 handwritten digits.

The images ship with Debian's python3-sklearn (sklearn/datasets/data/digits.csv.gz,
1,797 images of 8x8 pixels with values 0..16, from the UCI "Optical Recognition
of Handwritten Digits" set). The split is fixed here so that training
(make_models.py) and evaluation (run.py) see the same test images: a seeded
permutation, the first 1,347 images for training and the last 450 for testing.
Pixels are scaled to [0, 1] and laid out NHWC (N, 8, 8, 1), float32.
"""

import numpy as np

NUM_TRAIN = 1347  # 75% of 1,797
SPLIT_SEED = 20261121


def load_split():
    """Returns (x_train, y_train, x_test, y_test); x as float32 NHWC in [0, 1]."""
    from sklearn.datasets import load_digits  # Debian: python3-sklearn

    digits = load_digits()
    x = (digits.images.astype(np.float32) / 16.0).reshape(-1, 8, 8, 1)
    y = digits.target.astype(np.int64)
    order = np.random.RandomState(SPLIT_SEED).permutation(len(x))
    train, test = order[:NUM_TRAIN], order[NUM_TRAIN:]
    return x[train], y[train], x[test], y[test]
