# The numpy reference of test-transform: two directions (unit-vector
# expressions he - she and king - queen) orthonormalised by np.linalg.qr and
# projected out.  Run: /usr/bin/python3 tests/reference/make-transform-reference.py
# (numpy 1.24.2, Debian 12); its output is pasted into tests/engine/test-transform.c.
import numpy as np
X = np.array([[0.5, -1.25, 2.0, 0.75],
              [1.5, 0.25, -0.5, 1.0],
              [-0.75, 2.0, 1.0, 0.5],
              [0.25, 0.5, 0.125, -1.5],
              [3.0, -0.5, 0.25, 2.5]], dtype=np.float32)
words = ["he", "she", "king", "queen", "doctor"]
u = X.astype(np.float64) / np.linalg.norm(X.astype(np.float64), axis=1, keepdims=True)
D = np.stack([u[0] - u[1], u[2] - u[3]])
Q, R = np.linalg.qr(D.T)
Y = X.astype(np.float64) - X.astype(np.float64) @ Q @ Q.T
np.set_printoptions(precision=9, suppress=False)
for row in Y.astype(np.float32):
    print("{ " + ", ".join("%.9g" % v for v in row) + " },")
