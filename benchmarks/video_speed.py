"""Speed of ``spasmwatch video analyze`` on a 60 s 1080p30 H.264 clip.

Renders a 60 s scene (src/spasmwatch/testing/video/render.py), scales it to 1920x1080 at 30 fps and
encodes it as H.264 with PyAV's libx264 (as a phone would, about 8 Mbit/s), then times in
one run on that file:

- decoding alone, as the analysis decodes (every frame decoded, frames scaled to the
  working size by FFmpeg, one in two kept for the flow at 15 per second);
- the whole analysis (``analyze_video``, without output files);

and prints their ratio, seconds per minute of video and frames per second. The two are
timed alternately ``--repeat`` times (3 by default): the ratio moves with how fast
decoding alone happens to run on a shared machine, so each pair's ratio is printed and
their median is the number to quote.

Then the peak memory of a whole analysis with its clips and plots (as the web app runs
it), each in a fresh process, on the same clip joined end to end (the packets copied,
not re-encoded) to 1, 6 and 30 minutes (``--quick``: 1 and 6): it must stay flat in the
video's length.

Run: ``.venv/bin/python benchmarks/video_speed.py [--quick] [--repeat N] [--speed-only]``
(``--speed-only``: no memory part).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av
import cv2

from spasmwatch.testing.video.render import SceneSpec, render
from spasmwatch.video import analyze_video
from spasmwatch.video.analyze import (
    ANALYSIS_SHORT_SIDE,
    MAX_ANALYSIS_RATE_HZ,
)
from spasmwatch.video.reader import VideoReader


def make_clip(folder: Path) -> Path:
    """Render the scene small and encode it as a 60 s 1080p30 H.264 MP4."""
    small = folder / "small.mp4"
    render(SceneSpec("speed", seed=77, duration_s=60.0, fps=30.0, cluster_size=(8, 12)), small)
    big = folder / "clip_1080p30.mp4"
    with av.open(str(small)) as src, av.open(str(big), "w") as dst:
        stream = dst.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 1920, 1080, "yuv420p"
        stream.bit_rate = 8_000_000
        stream.options = {"preset": "veryfast"}
        for frame in src.decode(video=0):
            img = cv2.resize(frame.to_ndarray(format="bgr24"), (1920, 1080), cv2.INTER_LINEAR)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="bgr24")):
                dst.mux(packet)
        for packet in stream.encode():
            dst.mux(packet)
    return big


def decode_only(path: Path) -> tuple[float, int]:
    """Seconds to decode as the analysis does, and frames decoded."""
    t0 = time.perf_counter()
    with VideoReader(path, short_side=ANALYSIS_SHORT_SIDE) as reader:
        stride = max(1, round(reader.info.fps / MAX_ANALYSIS_RATE_HZ))
        for _ in reader.frames(stride=stride):
            pass
        frames = reader.info.frames
    return time.perf_counter() - t0, frames


def join(clip: Path, times: int, out: Path) -> Path:
    """``clip`` joined end to end ``times`` times (packets copied with new times)."""
    with av.open(str(out), "w") as dst:
        with av.open(str(clip)) as first:
            ost = dst.add_stream_from_template(first.streams.video[0])
        offset = 0
        for _ in range(times):
            with av.open(str(clip)) as src:
                last = 0
                for pkt in src.demux(src.streams.video[0]):
                    if pkt.dts is None:
                        continue
                    pkt.pts += offset
                    pkt.dts += offset
                    last = max(last, pkt.pts + (pkt.duration or 0))
                    pkt.stream = ost
                    dst.mux(pkt)
            offset = last
    return out


_CHILD = """
import resource, sys, time
from spasmwatch.video import analyze_video
t0 = time.perf_counter()
r = analyze_video(sys.argv[1], out_dir=sys.argv[2])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
s = r.summary()
print(f"{peak:.0f} {time.perf_counter() - t0:.0f} {s['spasm_like']} {len(r.outputs['clips'])}")
"""


def memory(clip: Path, folder: Path, minutes: list[int]) -> None:
    """Peak memory of the whole analysis with outputs, each length in a new process."""
    print("peak memory, whole analysis with clips and plots (a fresh process each):")
    for m in minutes:
        long = join(clip, m, folder / f"joined_{m}.mp4")
        out = folder / f"out_{m}"
        res = subprocess.run(
            [sys.executable, "-c", _CHILD, str(long), str(out)],
            capture_output=True,
            text=True,
            check=True,
        )
        peak, secs, spasms, clips = res.stdout.split()
        print(f"  {m:3d} min 1080p30: peak {peak} MB, {secs} s, {spasms} spasm-like, {clips} clips")
        long.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="memory at 1 and 6 min only")
    parser.add_argument("--repeat", type=int, default=3, help="alternated timings (3)")
    parser.add_argument("--speed-only", action="store_true", help="no memory part")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        clip = make_clip(Path(tmp))
        make_s = time.perf_counter() - t0
        size_mb = clip.stat().st_size / 1e6
        ratios = []
        for i in range(max(1, args.repeat)):
            decode_s, frames = decode_only(clip)
            t0 = time.perf_counter()
            res = analyze_video(clip)
            whole_s = time.perf_counter() - t0
            print(f"-- timing {i + 1} of {max(1, args.repeat)}")
            report(res, size_mb, frames, make_s, decode_s, whole_s)
            ratios.append(whole_s / decode_s)
        print(
            f"ratio whole / decode only over {len(ratios)} alternated timings: median "
            f"{statistics.median(ratios):.2f} (each: {', '.join(f'{r:.2f}' for r in ratios)}; "
            "target <= 1.2)"
        )
        if not args.speed_only:
            memory(clip, Path(tmp), [1, 6] if args.quick else [1, 6, 30])


def report(res, size_mb: float, frames: int, make_s: float, decode_s: float, whole_s: float):
    """Print the speed numbers."""
    minutes = res.video.duration_s / 60.0
    print(
        f"Video speed: 60 s 1920x1080 30 fps H.264 ({size_mb:.1f} MB, {frames} frames; "
        f"rendered and encoded in {make_s:.0f} s)"
    )
    print(
        f"decode only      {decode_s:6.1f} s  ({decode_s / minutes:.1f} s per minute, "
        f"{frames / decode_s:.0f} frames/s)"
    )
    print(
        f"whole analysis   {whole_s:6.1f} s  ({whole_s / minutes:.1f} s per minute, "
        f"{frames / whole_s:.0f} frames/s); inside it decode {res.decode_s:.1f} s, "
        f"flow and detection {res.analysis_s:.1f} s"
    )
    print(f"ratio whole / decode only: {whole_s / decode_s:.2f} (target <= 1.2)")
    print(f"events found: {res.summary()}")


if __name__ == "__main__":
    main()
