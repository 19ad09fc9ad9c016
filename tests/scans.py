"""Image-only PDFs ("scans") built on the fly from PDFs with a text layer, for the OCR tests.

Each page is rendered with pypdfium2 (grey, at a scanner's resolution, with a little noise and a
fraction of a degree of skew so that the text is not pixel-perfect), and the images are written into a
new PDF with Pillow: the result has no text layer at all.
"""

from __future__ import annotations

import io
import random


def scan_pdf(data: bytes, dpi: int = 200, pages: int | None = None, skew: float = 0.2, noise: float = 4,
             quality: int = 50, seed: int = 7) -> bytes:
    """The PDF ``data`` as a scan: one greyscale image per page, no text."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(data)
    images = []
    try:
        for i in range(min(len(pdf), pages or len(pdf))):
            page = pdf[i]
            img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            if skew:
                img = img.rotate(rng.uniform(-skew, skew), resample=Image.BICUBIC, fillcolor=255)
            arr = np.asarray(img, dtype=np.int16)
            grain = np.random.default_rng(seed + i).normal(0, noise, arr.shape)
            images.append(Image.fromarray(np.clip(arr + grain, 0, 255).astype(np.uint8)))
    finally:
        pdf.close()
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=quality)
    return out.getvalue()


def blank_scan(pages: int, size: tuple[float, float] = (595, 842), dpi: int = 50, text: str | None = None) -> bytes:
    """A scan of ``pages`` identical nearly blank pages (the hostile cases: many pages, huge pages)."""
    from PIL import Image, ImageDraw

    w, h = int(size[0] * dpi / 72), int(size[1] * dpi / 72)
    img = Image.new("L", (w, h), 255)
    if text:
        ImageDraw.Draw(img).text((w // 10, h // 10), text, fill=0)
    out = io.BytesIO()
    img.save(out, format="PDF", save_all=True, append_images=[img] * (pages - 1), resolution=dpi)
    return out.getvalue()


FIXTURES = ("wuhu-city-gov-2023.pdf",)

if __name__ == "__main__":  # python tests/scans.py: rebuild tests/fixtures/scan/ (needs a CJK font, see README)
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    out_dir = root / "tests" / "fixtures" / "scan"
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in FIXTURES:
        target = out_dir / name.replace(".pdf", "-scan.pdf")
        target.write_bytes(scan_pdf((root / "corpus" / name).read_bytes()))
        print(target, target.stat().st_size)
