#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The FFT t-SNE repulsion's interpolation error by nodes per box p and box width h:
the kernel 1/(1+r²)² between random pairs (partners within 2 units) through p × p Lagrange
nodes per box on each side, against the exact value.  /usr/bin/python3 tests/bench/tsne-kernel-interp.py"""
import numpy as np
rng=np.random.default_rng(1)
def lag(t,p):
    nodes=(np.arange(p)+0.5)/p
    W=np.ones((len(t),p))
    for k in range(p):
        for l in range(p):
            if l!=k: W[:,k]*=(t-nodes[l])/(nodes[k]-nodes[l])
    return W
def K(dx,dy): return 1/(1+dx*dx+dy*dy)**2
def err(p,h,M=20000,R=2.0):
    # points x in [0,10]^2, y = x + offset with |offset|<R
    x=rng.uniform(0,10,(M,2)); ang=rng.uniform(0,2*np.pi,M); r=rng.uniform(0,R,M)
    y=x+np.c_[r*np.cos(ang),r*np.sin(ang)]
    def nodes_w(z):
        b=np.floor(z/h); t=z/h-b
        return b, lag(t[:,0],p), lag(t[:,1],p)
    bx,wx1,wx2=nodes_w(x); by,wy1,wy2=nodes_w(y)
    nd=(np.arange(p)+0.5)/p
    # node coordinates
    Kt=np.zeros(M)
    for a in range(p):
      for b in range(p):
        xa=(bx[:,0]+nd[a])*h; xb=(bx[:,1]+nd[b])*h
        for c in range(p):
          for d in range(p):
            ya=(by[:,0]+nd[c])*h; yb=(by[:,1]+nd[d])*h
            Kt+=wx1[:,a]*wx2[:,b]*wy1[:,c]*wy2[:,d]*K(xa-ya,xb-yb)
    Ke=K(x[:,0]-y[:,0],x[:,1]-y[:,1])
    e=np.abs(Kt-Ke)
    fe=e*r
    return np.sqrt(np.mean(e**2)), np.max(e), np.sqrt(np.mean(fe**2))
for p,h in [(3,1),(3,0.75),(3,0.5),(4,1),(5,1),(2,0.5),(2,0.4),(4,0.75),(3,2/3),(2,1/3)]:
    a,b,c=err(p,h)
    print(f"p={p} h={h:.3f} nodes/unit={p/h:.2f} rmsK={a:.4f} maxK={b:.4f} rmsF={c:.4f} cost(pts)={p*p} grid={(p/h)**2:.1f}")
