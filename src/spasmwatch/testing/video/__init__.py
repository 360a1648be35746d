"""The two video scene generators, written separately, and the event matching the video
tests and benchmarks share.

- :mod:`.render`: the 2-D generator (a flat infant drawn from above);
- :mod:`.render3d` (with ``render3d_*``): an articulated 3-D infant seen through a
  perspective phone camera from above, obliquely or from the side, with cot bars,
  blankets, clothes, lighting changes and compression;
- :mod:`.evaluate`: matching detected events to the ground truth.

``python -m spasmwatch.testing.video.render3d --set test --out DIR --sheet`` renders the
3-D test set with a contact sheet to look at; ``python -m spasmwatch.testing.video.render
--scene NAME --video FILE.mp4`` (or ``render3d``) one scene, with ``--seed`` and
``--duration`` (:mod:`.render_command`).
"""
