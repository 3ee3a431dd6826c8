#!/usr/bin/python3
"""Draws the sample images in this directory (no downloads; deterministic).

    /usr/bin/python3 samples/images/make_samples.py

sunset.png   — 320x240 sky gradient, sun disc and a dark horizon (PNG, RGB)
checker.jpg  — 300x400 (portrait) checkerboard with a red circle (JPEG, quality 90)
"""
import os
import numpy as np
from PIL import Image, ImageDraw

here = os.path.dirname(os.path.abspath(__file__))

# sunset.png
w, h = 320, 240
y = np.linspace(0.0, 1.0, h)[:, None, None]
top = np.array([40, 60, 160], dtype=np.float64)
bottom = np.array([250, 150, 60], dtype=np.float64)
sky = (top * (1 - y) + bottom * y) * np.ones((1, w, 1))
img = Image.fromarray(sky.astype(np.uint8), "RGB")
d = ImageDraw.Draw(img)
d.ellipse([200, 120, 270, 190], fill=(255, 230, 120))
d.rectangle([0, 175, w, h], fill=(30, 25, 40))
img.save(os.path.join(here, "sunset.png"), optimize=True)

# checker.jpg
w, h = 300, 400
yy, xx = np.mgrid[0:h, 0:w]
board = (((yy // 25) + (xx // 25)) % 2).astype(np.float64)
rgb = np.stack([board * 220 + 20, board * 220 + 20, board * 220 + 20], axis=-1)
img = Image.fromarray(rgb.astype(np.uint8), "RGB")
d = ImageDraw.Draw(img)
d.ellipse([90, 140, 210, 260], fill=(200, 30, 30))
img.save(os.path.join(here, "checker.jpg"), quality=90)
