"""Median time to parse a ~2,000-character conclusion notice with 10 directives (goal < 20 ms).

Run: python benchmarks/bench_parser.py [--units FILE.csv --groups FILE.csv]. Not part of the tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.domain.calendar import WorkingCalendar  # noqa: E402
from bot.parsing import UnitIndex, load_units_from_csv_files, parse_message  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
NOTICE = """Thông báo số 245/TB-UBND: Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban ngày 18/11/2026:
1. Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính và UBND phường Thuận Hóa rà soát các dự án đầu tư công chậm tiến độ, làm rõ nguyên nhân, trách nhiệm của từng chủ đầu tư và đề xuất biện pháp tháo gỡ, báo cáo UBND tỉnh trước ngày 15/12/2026.
2. Sở Y tế chủ trì, phối hợp với các đơn vị liên quan xây dựng kế hoạch phòng, chống dịch bệnh mùa đông xuân, bảo đảm đủ thuốc, vật tư, trang thiết bị y tế tại các cơ sở khám bệnh, chữa bệnh; hoàn thành trước ngày 30/11/2026.
3. Giao Công an tỉnh chủ trì, phối hợp với Bộ Chỉ huy Quân sự tỉnh, Sở Văn hóa, Thể thao và Du lịch xây dựng phương án bảo đảm an ninh, trật tự, an toàn giao thông, phòng chống cháy nổ dịp Tết Nguyên đán Đinh Mùi 2027 tại các khu vực đông người; xong trong tháng 12/2026.
4. Sở NN&MT phối hợp Sở KH&CN triển khai hệ thống quan trắc tự động, hoàn thành trong quý I/2027.
5. Đề nghị Thanh tra tỉnh khẩn trương xác minh nội dung đơn phản ánh của công dân về việc bồi thường, hỗ trợ, tái định cư tại dự án đường ven biển, báo cáo kết quả trong 10 ngày.
6. Giao Văn phòng UBND tỉnh chuẩn bị nội dung, tài liệu phiên họp thường kỳ tháng 12 của UBND tỉnh, hoàn thành trong 5 ngày làm việc.
7. Giao Sở Tài nguyên và Môi trường hướng dẫn các địa phương lập hồ sơ cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình, cá nhân đủ điều kiện, không để tồn đọng hồ sơ kéo dài, báo cáo trước ngày 31/12/2026.
8. Các sở, ban, ngành, địa phương theo chức năng, nhiệm vụ được giao triển khai thực hiện nghiêm Chỉ thị số 15/CT-UBND; báo cáo kết quả trước ngày 15/12/2026.
9. Giao UBND phường Thuận An và UBND phường Hương Trà phối hợp với Sở Nông nghiệp và Môi trường xử lý dứt điểm tình trạng khai thác cát trái phép trên sông Hương, xử lý nghiêm tổ chức, cá nhân vi phạm; báo cáo trước ngày 10/12/2026.
10. Đề nghị Thuế tỉnh phối hợp với Sở Tài chính đôn đốc thu hồi nợ đọng thuế, báo cáo định kỳ trước ngày 25 hằng tháng."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", default=str(SHARED / "units.csv"))
    parser.add_argument("--groups", default=str(SHARED / "groups.csv"))
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    units, groups = load_units_from_csv_files(args.units, args.groups)
    index, calendar = UnitIndex(units, groups), WorkingCalendar()
    at = datetime.fromisoformat("2026-11-20T09:00:00+07:00")
    first = parse_message(NOTICE, at=at, calendar=calendar, index=index)
    assert len(first.directives) == 10, first
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        parse_message(NOTICE, at=at, calendar=calendar, index=index)
        times.append((time.perf_counter() - start) * 1000)
    build = time.perf_counter()
    UnitIndex(units, groups)
    build_ms = (time.perf_counter() - build) * 1000
    print(f"notice: {len(NOTICE)} characters, {len(first.directives)} directives, {len(units)} units")
    print(f"parse median {statistics.median(times):.2f} ms, p95 {sorted(times)[int(len(times) * 0.95)]:.2f} ms "
          f"(goal < 20 ms); building the unit index {build_ms:.2f} ms")


if __name__ == "__main__":
    main()
