"""A page picture made easy for Tesseract. Each step is kept because it measurably helps
(`python benchmarks/bench_ocr.py --steps` prints the accuracy without each one):

- grey-scale that drops coloured ink: black print stays black while the red stamp and the blue signature
  become paper, even where they cover text;
- the sheet found in a phone photo and its perspective straightened;
- uneven light (a shadow, a lamp on one side) flattened by dividing out the paper's own brightness;
- the tilt measured on the text lines and rotated away;
- the letters scaled to the height Tesseract reads best.
Binarisation is left to Tesseract (Otsu on the flattened page), which does it as well.

Every function takes and returns a 2-D uint8 array (0 = ink, 255 = paper): a page costs one byte a pixel.
"""

from __future__ import annotations

import cv2
import numpy as np

TARGET_HEIGHT = 30  # px: the letter height (of a capital or a letter with an ascender) Tesseract reads best
MAX_SCALE = 2.5
MAX_SIDE = 5000  # px: past this a page is shrunk before anything else (an A4 page at ~430 dpi)


def grey(rgb: np.ndarray, drop_colour: bool = True) -> np.ndarray:
    if rgb.ndim == 2:
        return rgb
    if not drop_colour:
        return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    # Print is dark in every channel, coloured ink bright in one and far from grey: each pixel is lifted
    # by twice its colourfulness, which turns the stamp and the signature into paper even where they
    # lie thin over it or are as dark as a violet pen. Red lets red light through, so black print under
    # the stamp stays dark in that channel: a reddish pixel that is dark there is print, and kept.
    brightest, darkest = rgb.max(axis=2), rgb.min(axis=2)
    colour = cv2.subtract(brightest, darkest).astype(np.float32)
    bluish = rgb[..., 2] > rgb[..., 0]
    weight = np.where(bluish, 2.0, np.clip((brightest.astype(np.float32) - 96) / 32, 0, 2))
    return np.clip(brightest + colour * weight, 0, 255).astype(np.uint8)


def shrink(image: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    """The image with its longer side at most `side`, and the factor applied."""
    h, w = image.shape[:2]
    factor = min(1.0, side / max(h, w))
    if factor == 1.0:
        return image, 1.0
    return cv2.resize(image, (round(w * factor), round(h * factor)), interpolation=cv2.INTER_AREA), factor


def find_page(page: np.ndarray) -> np.ndarray | None:
    """The four corners of a sheet of paper photographed on a darker background (top-left first,
    clockwise), or None when the picture is the page itself (a scan) or no sheet shows clearly. The
    sheet is the region its edges enclose (a shadow's edge is too soft to count), or failing that the
    bright region; either must be a quadrilateral of a page's proportions."""
    small, factor = shrink(page, 800)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    edges = cv2.dilate(cv2.Canny(blurred, 30, 90), np.ones((5, 5), np.uint8))
    for mask in (edges, cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))):
        corners = _sheet(mask)
        if corners is not None:
            return corners / factor
    return None


def _sheet(mask: np.ndarray) -> np.ndarray | None:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(outline)
    if not 0.25 < cv2.contourArea(hull) / mask.size < 0.97:
        return None
    corners = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(corners) != 4:
        return None
    points = corners.reshape(4, 2).astype(np.float32)
    by_sum, by_diff = points.sum(axis=1), np.diff(points, axis=1).ravel()
    tl, tr, br, bl = (points[by_sum.argmin()], points[by_diff.argmin()], points[by_sum.argmax()],
                      points[by_diff.argmax()])
    width = float(np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    height = float(np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    if not 1.15 < max(width, height) / max(min(width, height), 1.0) < 1.7:  # A4 is 1.41
        return None
    return np.array([tl, tr, br, bl], dtype=np.float32)


def straighten(page: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The quadrilateral `corners` warped to an upright rectangle as large as its longer edges."""
    tl, tr, br, bl = corners
    width = round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([(0, 0), (width - 1, 0), (width - 1, height - 1), (0, height - 1)], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    flat = cv2.warpPerspective(page, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=255)
    edge = round(0.012 * min(width, height))  # the sheet's very edge and a sliver of the desk: no text there
    return flat[edge:height - edge, edge:width - edge]


def flatten(page: np.ndarray) -> np.ndarray:
    """Divide out the paper's brightness (a shadow, a lamp on one side): the paper becomes white and the
    print keeps its contrast everywhere."""
    small, factor = shrink(page, 600)
    size = max(3, round(min(small.shape) / 30)) | 1
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    background = cv2.GaussianBlur(background, (size, size), 0)
    background = cv2.resize(background, (page.shape[1], page.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(page, np.maximum(background, 1), scale=255)
    return flat


def ink(page: np.ndarray) -> np.ndarray:
    """A mask of the print (255) on a page whose paper is light."""
    _, mask = cv2.threshold(page, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if cv2.countNonZero(mask) > 0.5 * mask.size:  # Otsu split a blank page's noise: no print at all
        return np.zeros_like(mask)
    return mask


def skew(page: np.ndarray) -> float:
    """How far `rotate` must turn the page to level its text lines, in degrees: the angle at which the
    rows of a turned copy are most sharply print or paper."""
    small, _ = shrink(page, 1000)
    mask = ink(small)
    if cv2.countNonZero(mask) < 200:
        return 0.0
    h, w = mask.shape
    centre = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        turned = cv2.warpAffine(mask, cv2.getRotationMatrix2D(centre, angle, 1.0), (w, h), flags=cv2.INTER_NEAREST)
        profile = turned.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    best = max(np.arange(-5.0, 5.01, 0.5), key=sharpness)
    best = max(np.arange(best - 0.5, best + 0.51, 0.1), key=sharpness)
    return float(-best)


def rotate(page: np.ndarray, angle: float) -> np.ndarray:
    """The page turned clockwise by `angle` degrees, the corners filled with paper."""
    h, w = page.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(page, matrix, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def binarise(page: np.ndarray) -> np.ndarray:
    """Print black, paper white (Otsu). Tesseract does the same inside; kept for the benchmark."""
    return cv2.threshold(page, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


def letter_height(page: np.ndarray) -> float | None:
    """The typical height of a letter with an ascender (or a capital), in pixels; None without print."""
    mask = ink(page)
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    letters = heights[(heights >= 4) & (heights <= 200) & (widths <= 3 * heights) & (widths >= 2)]
    if len(letters) < 30:
        return None
    return float(np.percentile(letters, 75))


def rescale(page: np.ndarray, height: float) -> np.ndarray:
    factor = min(MAX_SCALE, TARGET_HEIGHT / height)
    if 0.8 < factor < 1.25:
        return page
    interpolation = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
    return cv2.resize(page, None, fx=factor, fy=factor, interpolation=interpolation)


def edge_width(page: np.ndarray) -> float:
    """How many pixels the print takes to turn into paper at its edges: about 2 for sharp print, several
    times that out of focus (measured once the letters have the height Tesseract reads best)."""
    low, high = np.percentile(page, (2, 98))
    if high - low < 40:
        return float("inf")
    gx = cv2.Sobel(page, cv2.CV_32F, 1, 0, ksize=3) / 4
    gy = cv2.Sobel(page, cv2.CV_32F, 0, 1, ksize=3) / 4
    steepest = float(np.percentile(cv2.magnitude(gx, gy), 99.5))
    return float(high - low) / max(steepest, 1e-3)
