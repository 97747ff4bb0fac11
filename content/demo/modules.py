"""Demo content for the sidebar modules: activities, videos, social accounts and downloads.

Written in Indonesian for the fictional institute of the demo. Events are placed around the day
the demo is loaded; the video ids are placeholders (the player loads only after a click, and the
demo's posters are the site's own picture, so the demo asks nothing of YouTube); the downloads
are small real files written beside the database, which is the instance folder by default.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiosqlite

from content.db import format_utc, utcnow
from content.media.files import store_file
from content.sanitize import HtmlCleaner

DOWNLOAD_FOLDER = "unduhan"
DEMO_POSTER = "/static/img/demo/kebun-kopi.svg"


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def demo_events(today: date) -> list[dict[str, object]]:
    """A few months of activities around `today` (timed ones in local wall-clock time)."""
    thursday = _next_weekday(today, 3)
    return [
        {
            "title": "Pelatihan Pascapanen Kakao bagi Penyuluh Pertanian",
            "description": (
                "<p>Pelatihan tiga hari bagi penyuluh pertanian dari sentra kakao di Jawa Barat "
                "dan Banten: fermentasi biji, pengeringan, sortasi, dan penyimpanan sesuai "
                "standar mutu SNI.</p>"
            ),
            "location": "Kebun Percobaan Pakuwon, Parungkuda, Sukabumi",
            "category": "Pelatihan",
            "all_day": True,
            "start": today - timedelta(days=1),
            "end": today + timedelta(days=1),
        },
        {
            "title": "Klinik Konsultasi Pakar Kopi",
            "description": (
                "<p>Petani, pelaku usaha, dan masyarakat umum dapat berkonsultasi langsung "
                "dengan peneliti kopi tentang budidaya, pemangkasan, pengendalian hama, dan "
                "pengolahan hasil. Layanan tanpa biaya; cukup datang ke ruang layanan publik.</p>"
            ),
            "location": "Ruang Layanan Publik, Gedung Utama Balittri",
            "category": "Layanan",
            "start": datetime.combine(thursday, time(9, 0)),
            "end": datetime.combine(thursday, time(12, 0)),
            "recurrence": "weekly",
            "until": thursday + timedelta(weeks=12),
        },
        {
            "title": "Bimbingan Teknis Budidaya Kopi Robusta",
            "description": (
                "<p>Bimbingan teknis bagi kelompok tani mitra: pemilihan bahan tanam unggul, "
                "teknik sambung pucuk, pemupukan berimbang, dan pemangkasan bentuk. Peserta "
                "membawa alat tulis dan pakaian lapangan.</p>"
            ),
            "location": "Aula Kebun Percobaan Pakuwon, Sukabumi",
            "category": "Bimbingan Teknis",
            "start": datetime.combine(today + timedelta(days=9), time(8, 30)),
            "end": datetime.combine(today + timedelta(days=9), time(15, 30)),
        },
        {
            "title": "Seminar Hasil Penelitian Tanaman Penyegar",
            "description": (
                "<p>Paparan hasil penelitian tahun berjalan tentang kopi, kakao, dan teh, "
                "dilanjutkan diskusi dengan para pemangku kepentingan. Seminar terbuka untuk "
                "umum dan juga disiarkan secara daring.</p>"
            ),
            "location": "Auditorium Balittri",
            "category": "Seminar",
            "url": "https://balittri.example.go.id/seminar-hasil-penelitian",
            "start": datetime.combine(today + timedelta(days=24), time(9, 0)),
            "end": datetime.combine(today + timedelta(days=24), time(13, 0)),
        },
        {
            "title": "Layanan Informasi Publik Keliling",
            "description": (
                "<p>Petugas PPID Balittri membuka meja layanan di kantor kecamatan setempat "
                "untuk permohonan informasi publik dan pengaduan layanan.</p>"
            ),
            "location": "Kantor Kecamatan Parungkuda",
            "category": "Layanan",
            "start": datetime.combine(today.replace(day=15), time(13, 30)),
            "end": datetime.combine(today.replace(day=15), time(15, 30)),
            "recurrence": "monthly",
            "until": today + timedelta(days=365),
        },
        {
            "title": "Pameran Inovasi Perkebunan Nasional",
            "description": (
                "<p>Balittri menampilkan varietas unggul, benih sumber, dan produk olahan kopi "
                "serta kakao. Kunjungi anjungan kami di hall B.</p>"
            ),
            "location": "Jakarta Convention Center",
            "category": "Pameran",
            "all_day": True,
            "start": today + timedelta(days=40),
            "end": today + timedelta(days=42),
        },
        {
            "title": "Peringatan Hari Perkebunan",
            "description": "<p>Upacara dan kegiatan bersama memperingati Hari Perkebunan.</p>",
            "location": "Halaman Kantor Balittri",
            "category": "Peringatan",
            "all_day": True,
            "start": date(today.year, 12, 10),
            "end": date(today.year, 12, 10),
            "recurrence": "yearly",
            "until": date(today.year + 4, 12, 10),
        },
    ]


DEMO_VIDEOS = (
    (
        "Teknik Sambung Pucuk pada Bibit Kopi Robusta",
        "CONTOHVID01",
        "Langkah demi langkah menyambung pucuk entres klon unggul pada batang bawah kopi.",
    ),
    (
        "Panen dan Pascapanen Kakao yang Baik",
        "CONTOHVID02",
        "Cara memetik buah kakao masak, memeram, memecah, dan memfermentasi biji.",
    ),
    (
        "Profil Kebun Percobaan Pakuwon",
        "CONTOHVID03",
        "Mengenal kebun percobaan tempat koleksi plasma nutfah kopi dan kakao Balittri.",
    ),
)

DEMO_SOCIAL = (
    ("@balittri", "instagram", "https://www.instagram.com/balittri/"),
    ("Balittri Kementan", "facebook", "https://www.facebook.com/balittri"),
    ("Balittri TV", "youtube", "https://www.youtube.com/@balittri"),
    ("@balittri", "x", "https://x.com/balittri"),
)


def tiny_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF with a title and a few lines of text."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = [f"BT /F1 18 Tf 56 770 Td ({escape(title)}) Tj ET"]
    for number, line in enumerate(lines):
        content.append(f"BT /F1 11 Tf 56 {740 - 16 * number} Td ({escape(line)}) Tj ET")
    stream = "\n".join(content).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def demo_files() -> list[dict[str, object]]:
    """The library's demo files: three short PDFs, a CSV table and a text list."""
    guide = tiny_pdf(
        "Petunjuk Teknis Budidaya Kopi Robusta",
        [
            "1. Gunakan bahan tanam klon unggul yang dianjurkan.",
            "2. Siapkan pohon penaung sebelum bibit ditanam.",
            "3. Pangkas bentuk setinggi 1,5 - 1,8 meter.",
            "4. Pupuk dua kali setahun, awal dan akhir musim hujan.",
            "Balai Penelitian Tanaman Industri dan Penyegar",
        ],
    )
    leaflet = tiny_pdf(
        "Pengendalian Hama Penggerek Buah Kopi",
        [
            "Petik buah terserang dan pungut buah yang jatuh secara rutin.",
            "Pasang perangkap berbahan atraktan di kebun.",
            "Manfaatkan jamur Beauveria bassiana sebagai agens hayati.",
        ],
    )
    report = tiny_pdf(
        "Laporan Tahunan 2024",
        [
            "Ringkasan kegiatan penelitian, diseminasi, dan layanan publik Balai tahun 2024.",
            "Capaian kinerja, realisasi anggaran, dan rencana tindak lanjut.",
            "Balai Penelitian Tanaman Industri dan Penyegar",
        ],
    )
    table = (
        "\ufeffkomoditas;klon_atau_varietas;jumlah_benih;satuan\n"
        "Kopi Robusta;BP 308;25000;batang\n"
        "Kopi Robusta;BP 42;18000;batang\n"
        "Kakao;Sulawesi 1;12000;batang\n"
        "Teh;GMB 7;30000;stek\n"
    ).encode()
    listing = (
        b"DAFTAR INFORMASI PUBLIK\n"
        b"Balai Penelitian Tanaman Industri dan Penyegar\n\n"
        b"1. Profil dan struktur organisasi\n"
        b"2. Rencana strategis dan laporan kinerja\n"
        b"3. Laporan keuangan tahunan\n"
        b"4. Daftar hasil penelitian dan publikasi\n"
        b"5. Prosedur permohonan informasi dan pengaduan\n"
    )
    return [
        {
            "title": "Laporan Tahunan 2024",
            "description": "Capaian kinerja, kegiatan penelitian, dan layanan publik Balai.",
            "category": "Laporan",
            "filename": "Laporan Tahunan 2024.pdf",
            "kind": "pdf",
            "data": report,
        },
        {
            "title": "Petunjuk Teknis Budidaya Kopi Robusta",
            "description": "Panduan ringkas budidaya kopi robusta dari pembibitan sampai panen.",
            "category": "Petunjuk Teknis",
            "filename": "Juknis Budidaya Kopi Robusta.pdf",
            "kind": "pdf",
            "data": guide,
        },
        {
            "title": "Leaflet Pengendalian Hama Penggerek Buah Kopi",
            "description": "Langkah pengendalian PBKo secara terpadu untuk petani.",
            "category": "Leaflet",
            "filename": "Leaflet PBKo.pdf",
            "kind": "pdf",
            "data": leaflet,
        },
        {
            "title": "Data Produksi Benih Sumber",
            "description": "Jumlah benih sumber kopi, kakao, dan teh yang siap disalurkan.",
            "category": "Data",
            "filename": "produksi-benih-sumber.csv",
            "kind": "csv",
            "data": table,
        },
        {
            "title": "Daftar Informasi Publik",
            "description": "Informasi yang tersedia setiap saat sesuai UU Keterbukaan Informasi.",
            "category": "Informasi Publik",
            "filename": "daftar-informasi-publik.txt",
            "kind": "txt",
            "data": listing,
        },
    ]


def files_folder(database_path: str) -> Path:
    """Where the demo's files go: beside the database (the instance folder by default)."""
    return Path(os.path.abspath(database_path)).parent / DOWNLOAD_FOLDER


async def seed_modules(conn: aiosqlite.Connection, database_path: str, tz: ZoneInfo) -> None:
    """Add the modules' demo content inside the demo's transaction."""
    cleaner = HtmlCleaner()
    now = utcnow()
    today = datetime.now(tz).date()
    for event in demo_events(today):
        start, end = event["start"], event["end"]
        if isinstance(start, datetime) and isinstance(end, datetime):
            starts = format_utc(start.replace(tzinfo=tz))
            ends = format_utc(end.replace(tzinfo=tz))
        else:
            assert isinstance(start, date) and isinstance(end, date)
            starts, ends = start.isoformat(), end.isoformat()
        until = event.get("until")
        await conn.execute(
            "INSERT INTO events (uid, title, description_html, location, url, category, all_day, "
            "starts, ends, recurrence, repeat_until, published, created, modified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
            (
                f"{uuid.uuid4()}@serambi",
                event["title"],
                cleaner.clean(str(event["description"])),
                event["location"],
                event.get("url", ""),
                event["category"],
                int(bool(event.get("all_day"))),
                starts,
                ends,
                event.get("recurrence", ""),
                until.isoformat() if isinstance(until, date) else None,
                now,
                now,
            ),
        )
    for order, (title, video_id, description) in enumerate(DEMO_VIDEOS):
        await conn.execute(
            "INSERT INTO videos (title, url, provider, video_id, thumbnail, description, "
            "ordering, published, created, modified) VALUES (?, ?, 'youtube', ?, ?, ?, ?, 1, ?, ?)",
            (
                title,
                f"https://www.youtube.com/watch?v={video_id}",
                video_id,
                DEMO_POSTER,
                description,
                order,
                now,
                now,
            ),
        )
    for order, (name, network, url) in enumerate(DEMO_SOCIAL):
        await conn.execute(
            "INSERT INTO social_accounts (name, network, url, ordering) VALUES (?, ?, ?, ?)",
            (name, network, url, order),
        )
    if database_path == ":memory:":
        return  # no folder to keep files in
    folder = files_folder(database_path)
    for item in demo_files():
        data = item["data"]
        assert isinstance(data, bytes)
        stored = await asyncio.to_thread(store_file, folder, data)
        await conn.execute(
            "INSERT INTO downloads (title, description, category, filename, stored_name, kind, "
            "size, sha256, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                item["title"],
                item["description"],
                item["category"],
                item["filename"],
                stored,
                item["kind"],
                len(data),
                hashlib.sha256(data).hexdigest(),
                now,
                now,
            ),
        )
