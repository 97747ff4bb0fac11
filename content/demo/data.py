"""Demo content for the Serambi portal.

Pure data, written in Indonesian for a fictional research institute. All people, clone names,
figures and addresses are invented; URLs under balittri.example.go.id are placeholders.
"""

from __future__ import annotations

SITE_NAME = "Balai Penelitian Tanaman Industri dan Penyegar"
SITE_TAGLINE = "Inovasi tanaman perkebunan untuk kesejahteraan pekebun Indonesia"

BANNERS: list[dict[str, str]] = [
    {
        "title": "LPSE",
        "url": "https://lpse.pertanian.go.id/",
        "description": "Layanan pengadaan barang dan jasa pemerintah secara elektronik.",
    },
    {
        "title": "WBK",
        "url": "https://balittri.example.go.id/zona-integritas",
        "description": "Informasi pembangunan Zona Integritas menuju Wilayah Bebas dari Korupsi.",
    },
    {
        "title": "Lapor.go.id",
        "url": "https://www.lapor.go.id/",
        "description": "Sampaikan aspirasi dan pengaduan pelayanan publik secara daring.",
    },
    {
        "title": "WBS",
        "url": "https://balittri.example.go.id/wbs",
        "description": (
            "Laporkan dugaan pelanggaran oleh pegawai dengan identitas pelapor yang dirahasiakan."
        ),
    },
    {
        "title": "Pakar Kopi",
        "url": "https://balittri.example.go.id/pakar-kopi",
        "description": "Konsultasi budidaya dan pascapanen kopi bersama peneliti Balai.",
    },
    {
        "title": "PPID",
        "url": "https://ppid.pertanian.go.id/",
        "description": (
            "Layanan permohonan informasi publik sesuai ketentuan keterbukaan informasi."
        ),
    },
    {
        "title": "perpus_digital",
        "url": "https://balittri.example.go.id/perpustakaan-digital",
        "description": "Akses koleksi buku, jurnal, dan petunjuk teknis dalam format digital.",
    },
    {
        "title": "Kalender Tanam",
        "url": "https://balittri.example.go.id/kalender-tanam",
        "description": "Rekomendasi waktu dan pola tanam berdasarkan prakiraan iklim setempat.",
    },
    {
        "title": "Saber Pungli",
        "url": "https://saberpungli.id/",
        "description": "Laporkan praktik pungutan liar kepada Satgas Sapu Bersih Pungutan Liar.",
    },
    {
        "title": "pui-balittri",
        "url": "https://balittri.example.go.id/pui",
        "description": "Profil Balai sebagai Pusat Unggulan Iptek tanaman industri dan penyegar.",
    },
    {
        "title": "SKM",
        "url": "https://balittri.example.go.id/skm",
        "description": (
            "Berikan penilaian Anda terhadap layanan Balai melalui Survei Kepuasan Masyarakat."
        ),
    },
    {
        "title": "Ejurnal",
        "url": "https://balittri.example.go.id/ejurnal",
        "description": "Jurnal ilmiah terbitan Balai yang dapat dibaca secara daring tanpa biaya.",
    },
    {
        "title": "Sigap UPG",
        "url": "https://balittri.example.go.id/sigap-upg",
        "description": (
            "Laporkan penerimaan atau penolakan gratifikasi kepada Unit Pengendali Gratifikasi."
        ),
    },
    {
        "title": "TV-TANI",
        "url": "https://balittri.example.go.id/tv-tani",
        "description": "Tayangan video panduan teknis dan kisah inspiratif dari dunia pertanian.",
    },
    {
        "title": "satu-layanan",
        "url": "https://balittri.example.go.id/satu-layanan",
        "description": (
            "Satu pintu untuk layanan benih, laboratorium, informasi publik, dan kunjungan."
        ),
    },
]

CATEGORIES: list[dict[str, str | None]] = [
    {
        "alias": "berita",
        "title": "Berita",
        "description": (
            "Kabar terbaru seputar kegiatan, capaian, dan kunjungan di lingkungan Balai."
        ),
        "parent": None,
        "layout": "blog",
    },
    {
        "alias": "artikel",
        "title": "Artikel",
        "description": "Tulisan populer dan informasi umum seputar tanaman industri dan penyegar.",
        "parent": None,
        "layout": "blog",
    },
    {
        "alias": "pengumuman",
        "title": "Pengumuman",
        "description": (
            "Informasi resmi tentang jadwal layanan, seleksi, pengadaan, dan hasil survei."
        ),
        "parent": None,
        "layout": "list",
    },
    {
        "alias": "publikasi",
        "title": "Publikasi",
        "description": (
            "Kumpulan publikasi hasil penelitian dan panduan teknis dari para peneliti Balai."
        ),
        "parent": None,
        "layout": "blog",
    },
    {
        "alias": "hasil-penelitian",
        "title": "Hasil Penelitian",
        "description": "Ringkasan hasil penelitian kopi, kakao, teh, karet, dan tanaman rempah.",
        "parent": "publikasi",
        "layout": "blog",
    },
    {
        "alias": "teknologi-budidaya",
        "title": "Teknologi Budidaya",
        "description": "Panduan budidaya dan pascapanen yang siap diterapkan oleh petani.",
        "parent": "publikasi",
        "layout": "blog",
    },
    {
        "alias": "kegiatan",
        "title": "Kegiatan",
        "description": (
            "Liputan pelatihan, temu lapang, lokakarya, dan kegiatan lain yang digelar Balai."
        ),
        "parent": None,
        "layout": "blog",
    },
]

ARTICLES: list[dict[str, object]] = [
    {
        "title": "Jadwal Layanan Publik pada Libur Isra Mikraj dan Tahun Baru Imlek 2025",
        "alias": "jadwal-layanan-publik-pada-libur-isra-mikraj-dan-tahun-baru-imlek-2025",
        "category": "pengumuman",
        "author": "Fitri Handayani",
        "created": "2025-01-14 09:15",
        "featured": False,
        "hits": 412,
        "metadesc": (
            "Penyesuaian jadwal layanan publik Balai selama libur Isra Mikraj dan Tahun Baru Imlek "
            "2025."
        ),
        "intro": (
            "<p>Sehubungan dengan libur nasional Isra Mikraj Nabi Muhammad SAW dan Tahun Baru "
            "Imlek 2576 Kongzili, Balai menyesuaikan jadwal layanan publik pada akhir Januari "
            "2025. Layanan tatap muka ditiadakan sementara, sedangkan kanal daring tetap dapat "
            "diakses.</p>"
        ),
        "body": (
            "<p>Berdasarkan ketetapan pemerintah mengenai hari libur nasional dan cuti bersama "
            "tahun 2025, kantor Balai Penelitian Tanaman Industri dan Penyegar tidak melayani "
            "pengunjung secara langsung pada tanggal 27 hingga 29 Januari 2025. Pelayanan tatap "
            "muka akan kembali dibuka pada hari Kamis, 30 Januari 2025, pukul 08.00 WIB.</p>\n"
            "<ul><li>Senin, 27 Januari 2025: libur nasional Isra Mikraj;</li><li>Selasa, 28 "
            "Januari 2025: cuti bersama Tahun Baru Imlek;</li><li>Rabu, 29 Januari 2025: libur "
            "nasional Tahun Baru Imlek.</li></ul>\n"
            "<p>Selama masa libur, permohonan informasi publik, pemesanan benih, dan konsultasi "
            "teknis tetap dapat disampaikan melalui formulir daring di laman <a "
            'href="https://balittri.example.go.id/satu-layanan">Satu Layanan</a>. Setiap '
            "permohonan yang masuk akan dicatat dan diproses mulai hari kerja pertama setelah "
            "libur.</p>\n"
            "<p>Untuk pemesanan benih kopi, kakao, dan lada, calon pembeli diimbau menyesuaikan "
            "jadwal pengambilan agar tidak terjadi penumpukan antrean pada akhir bulan. Petugas "
            "kebun percobaan tetap bertugas secara bergiliran untuk memastikan pemeliharaan "
            "tanaman dan keamanan aset berjalan seperti biasa.</p>\n"
            "<p>Atas perhatian dan pengertian masyarakat, kami mengucapkan terima kasih. Selamat "
            "memperingati Isra Mikraj dan selamat merayakan Tahun Baru Imlek bagi yang "
            "merayakan.</p>"
        ),
    },
    {
        "title": "Balai Tandatangani Komitmen Bersama Pembangunan Zona Integritas Tahun 2025",
        "alias": "balai-tandatangani-komitmen-bersama-pembangunan-zona-integritas-tahun-2025",
        "category": "berita",
        "author": "Agus Setiawan",
        "created": "2025-02-05 10:30",
        "featured": True,
        "hits": 1873,
        "metadesc": (
            "Seluruh pegawai Balai menandatangani komitmen bersama pembangunan Zona Integritas "
            "menuju WBK."
        ),
        "intro": (
            "<p>Seluruh pegawai Balai Penelitian Tanaman Industri dan Penyegar menandatangani "
            "komitmen bersama pembangunan Zona Integritas menuju Wilayah Bebas dari Korupsi (WBK). "
            "Penandatanganan ini menjadi langkah awal rangkaian perbaikan tata kelola sepanjang "
            "tahun 2025.</p>"
        ),
        "body": (
            "<p>Kegiatan yang berlangsung di aula utama Balai pada Rabu pagi itu dihadiri pejabat "
            "struktural, peneliti, teknisi, hingga tenaga pendukung kebun percobaan. Setiap "
            "pegawai membubuhkan tanda tangan pada pakta integritas yang memuat janji untuk "
            "bekerja jujur, menolak gratifikasi, dan memberikan pelayanan terbaik kepada "
            "masyarakat.</p>\n"
            "<p>Kepala Balai, Dr. Ir. Suryo Hadiwibowo, M.Si., menegaskan bahwa komitmen tersebut "
            'tidak boleh berhenti sebagai seremoni. "Integritas diukur dari kebiasaan sehari-hari, '
            'mulai dari ketepatan waktu layanan benih sampai keterbukaan dalam pengadaan barang," '
            "ujarnya.</p>\n"
            "<h2>Enam Area Perubahan</h2>\n"
            "<p>Tim kerja Zona Integritas telah menyusun rencana aksi yang mengacu pada enam area "
            "perubahan, yaitu:</p>\n"
            "<ol><li>manajemen perubahan;</li><li>penataan tata laksana;</li><li>penataan sistem "
            "manajemen sumber daya manusia;</li><li>penguatan akuntabilitas "
            "kinerja;</li><li>penguatan pengawasan; dan</li><li>peningkatan kualitas pelayanan "
            "publik.</li></ol>\n"
            "<p>Masyarakat dapat ikut mengawasi pelaksanaan komitmen ini. Pengaduan terkait "
            "pelayanan dapat disampaikan melalui <a "
            'href="https://www.lapor.go.id/">SP4N-LAPOR!</a>, sedangkan dugaan pelanggaran oleh '
            "pegawai dapat dilaporkan melalui kanal Whistleblowing System yang tersedia di laman "
            "Balai. Identitas pelapor dijamin kerahasiaannya.</p>"
        ),
    },
    {
        "title": "Bimtek Budidaya Kopi Robusta bagi Petani Kabupaten Sukabumi",
        "alias": "bimtek-budidaya-kopi-robusta-bagi-petani-kabupaten-sukabumi",
        "category": "kegiatan",
        "author": "Hendra Saputra",
        "created": "2025-02-20 13:45",
        "featured": True,
        "hits": 2356,
        "metadesc": (
            "Empat puluh petani kopi Sukabumi mengikuti bimbingan teknis budidaya kopi robusta "
            "selama tiga hari."
        ),
        "intro": (
            "<p>Sebanyak 40 petani kopi dari lima kecamatan di Kabupaten Sukabumi mengikuti "
            "bimbingan teknis budidaya kopi robusta di Balai. Pelatihan selama tiga hari ini "
            "memadukan materi kelas dengan praktik langsung di kebun percobaan.</p>"
        ),
        "body": (
            "<p>Bimbingan teknis diselenggarakan atas kerja sama Balai dengan dinas yang "
            "membidangi perkebunan di Kabupaten Sukabumi. Peserta merupakan perwakilan kelompok "
            "tani yang sebagian besar mengelola kebun kopi rakyat berumur lebih dari lima belas "
            "tahun dengan produktivitas yang mulai menurun.</p>\n"
            "<p>Koordinator kegiatan, Yusuf Ramadhan, S.P., M.Si., menjelaskan bahwa materi "
            'disusun berdasarkan persoalan yang paling sering dikeluhkan petani. "Banyak kebun '
            "yang tanamannya sudah tua dan penaungnya terlalu rapat. Karena itu kami menekankan "
            'peremajaan dengan sambung pucuk dan pengaturan naungan," katanya.</p>\n'
            "<h3>Jadwal Pelatihan</h3>\n"
            "<table><thead><tr><th>Hari</th><th>Materi</th><th>Tempat</th></tr></thead><tbody>\n"
            "<tr><td>Pertama</td><td>Pemilihan klon unggul dan penyiapan bibit</td><td>Aula "
            "Balai</td></tr>\n"
            "<tr><td>Kedua</td><td>Sambung pucuk, pemangkasan, dan pengaturan "
            "naungan</td><td>Kebun Percobaan</td></tr>\n"
            "<tr><td>Ketiga</td><td>Pemupukan, pengendalian hama penggerek buah, dan panen petik "
            "merah</td><td>Kebun Percobaan</td></tr>\n"
            "</tbody></table>\n"
            "<p>Pada sesi praktik, setiap peserta mencoba menyambung sedikitnya lima batang bawah. "
            "Hasil sambungan akan dipantau oleh penyuluh pendamping selama satu bulan ke depan "
            "untuk mengetahui tingkat keberhasilannya.</p>\n"
            "<p>Salah seorang peserta, Ujang Suparman dari Kecamatan Cicurug, mengaku baru "
            'memahami pentingnya memangkas cabang yang tidak produktif. "Selama ini kami '
            'membiarkan pohon tumbuh tinggi. Ternyata justru buahnya berkurang," tuturnya.</p>'
        ),
    },
    {
        "title": "Pengendalian Hama Helopeltis pada Tanaman Teh secara Terpadu",
        "alias": "pengendalian-hama-helopeltis-pada-tanaman-teh-secara-terpadu",
        "category": "hasil-penelitian",
        "author": "Rina Kusumawardani",
        "created": "2025-03-11 08:40",
        "featured": True,
        "hits": 3120,
        "metadesc": (
            "Kombinasi pemetikan teratur, musuh alami, dan insektisida nabati menekan serangan "
            "Helopeltis di kebun teh."
        ),
        "intro": (
            "<p>Helopeltis masih menjadi hama utama di perkebunan teh dan dapat menurunkan hasil "
            "pucuk hingga lebih dari 40 persen. Peneliti Balai menguji kombinasi pemetikan, musuh "
            "alami, dan insektisida nabati untuk menekan serangannya.</p>"
        ),
        "body": (
            "<p>Penelitian dilakukan selama dua musim di kebun teh rakyat pada ketinggian sekitar "
            "1.200 meter di atas permukaan laut. Serangan Helopeltis ditandai bercak cokelat "
            "kehitaman pada pucuk dan daun muda, yang membuat pucuk tidak layak dipetik dan "
            "diolah.</p>\n"
            "<h2>Komponen Pengendalian</h2>\n"
            "<ul><li><strong>Pemetikan teratur</strong> dengan daur 7-9 hari untuk memutus siklus "
            "peletakan telur pada pucuk.</li><li><strong>Konservasi musuh alami</strong>, terutama "
            "laba-laba dan semut rangrang, dengan mengurangi penyemprotan insektisida "
            "sintetis.</li><li><strong>Insektisida nabati</strong> berbahan ekstrak biji mimba "
            "yang disemprotkan saat intensitas serangan melewati ambang 10 "
            "persen.</li><li><strong>Pemantauan mingguan</strong> pada petak contoh untuk "
            "menentukan waktu tindakan yang tepat.</li></ul>\n"
            "<h2>Hasil yang Diperoleh</h2>\n"
            "<p>Petak yang menerapkan pengendalian terpadu menunjukkan intensitas serangan "
            "rata-rata 8,6 persen, jauh lebih rendah dibandingkan petak kebiasaan petani yang "
            "mencapai 27,4 persen. Produksi pucuk basah pada petak terpadu juga lebih tinggi "
            "sekitar 18 persen, sementara biaya pembelian insektisida sintetis berkurang hampir "
            "separuhnya.</p>\n"
            "<p>Menurut peneliti entomologi Balai, Dr. Lina Marlina, kunci keberhasilan terletak "
            'pada disiplin pemantauan. "Petani tidak perlu menyemprot setiap minggu. Cukup amati '
            'petak contoh, lalu bertindak ketika serangan mulai naik," jelasnya.</p>\n'
            "<p>Paket teknologi ini akan dituangkan dalam petunjuk teknis yang dapat diunduh "
            'melalui <a href="https://balittri.example.go.id/perpustakaan-digital">perpustakaan '
            "digital</a> Balai pada pertengahan tahun.</p>"
        ),
    },
    {
        "title": "Pengumuman Hasil Seleksi Administrasi Tenaga Pendukung Kebun Percobaan",
        "alias": "pengumuman-hasil-seleksi-administrasi-tenaga-pendukung-kebun-percobaan",
        "category": "pengumuman",
        "author": "Fitri Handayani",
        "created": "2025-03-18 15:10",
        "featured": False,
        "hits": 968,
        "metadesc": (
            "Sebanyak 38 pelamar lulus seleksi administrasi tenaga pendukung kebun percobaan dan "
            "berhak ikut tahap wawancara."
        ),
        "intro": (
            "<p>Panitia seleksi mengumumkan hasil seleksi administrasi penerimaan tenaga pendukung "
            "teknis kebun percobaan tahun 2025. Peserta yang dinyatakan lulus berhak mengikuti "
            "tahap wawancara dan uji keterampilan lapangan.</p>"
        ),
        "body": (
            "<p>Seleksi ini dibuka untuk memenuhi kebutuhan enam orang tenaga pendukung yang akan "
            "ditempatkan di kebun percobaan kopi, kakao, dan tanaman rempah. Dari 214 berkas "
            "lamaran yang diterima, sebanyak 38 pelamar dinyatakan memenuhi persyaratan "
            "administrasi.</p>\n"
            "<p>Daftar nama peserta yang lulus dapat dilihat pada lampiran pengumuman di papan "
            "informasi kantor dan di laman resmi Balai. Peserta diminta memperhatikan hal-hal "
            "berikut:</p>\n"
            "<ul><li>wawancara dan uji keterampilan dilaksanakan pada 25-26 Maret 2025 mulai pukul "
            "08.00 WIB;</li><li>peserta membawa KTP asli, ijazah asli, dan alat "
            "tulis;</li><li>peserta mengenakan pakaian kerja lapangan dan sepatu "
            "tertutup;</li><li>keterlambatan lebih dari 30 menit dianggap mengundurkan "
            "diri.</li></ul>\n"
            "<p>Seluruh tahapan seleksi tidak dipungut biaya apa pun. Apabila ada pihak yang "
            "menjanjikan kelulusan dengan imbalan tertentu, masyarakat diminta segera "
            'melaporkannya melalui kanal <a href="https://saberpungli.id/">Saber Pungli</a> atau '
            "layanan pengaduan Balai.</p>\n"
            "<p>Keputusan panitia bersifat final dan tidak dapat diganggu gugat. Informasi lebih "
            "lanjut dapat ditanyakan kepada Subbagian Tata Usaha pada jam kerja.</p>"
        ),
    },
    {
        "title": "Jadwal Pelayanan Publik Selama Libur Idul Fitri 1446 H",
        "alias": "jadwal-pelayanan-publik-selama-libur-idul-fitri-1446-h",
        "category": "pengumuman",
        "author": "Dwi Rahmawati",
        "created": "2025-03-24 11:05",
        "featured": False,
        "hits": 745,
        "metadesc": (
            "Layanan tatap muka Balai ditiadakan selama libur Idul Fitri 1446 H dan dibuka kembali "
            "pada 8 April 2025."
        ),
        "intro": (
            "<p>Menyambut Hari Raya Idul Fitri 1446 Hijriah, Balai menyesuaikan jadwal pelayanan "
            "publik mengikuti ketentuan libur nasional dan cuti bersama. Layanan tatap muka "
            "ditiadakan sementara dan akan dibuka kembali pada 8 April 2025.</p>"
        ),
        "body": (
            "<p>Sesuai ketetapan pemerintah, rangkaian libur nasional dan cuti bersama Hari Suci "
            "Nyepi serta Idul Fitri berlangsung mulai Jumat, 28 Maret, hingga Senin, 7 April 2025. "
            "Selama periode tersebut, kantor Balai tidak membuka layanan tatap muka.</p>\n"
            "<p>Beberapa layanan tetap berjalan dengan penyesuaian sebagai berikut:</p>\n"
            "<ul><li><strong>Permohonan informasi publik</strong> dapat diajukan secara daring dan "
            "akan diproses mulai 8 April 2025.</li><li><strong>Pemesanan benih dan bibit</strong> "
            "dapat dilakukan melalui formulir daring; pengambilan dijadwalkan setelah "
            "libur.</li><li><strong>Pengaduan masyarakat</strong> tetap diterima melalui <a "
            'href="https://www.lapor.go.id/">SP4N-LAPOR!</a> dan akan ditindaklanjuti sesuai '
            "ketentuan.</li></ul>\n"
            "<p>Kegiatan pemeliharaan kebun percobaan, termasuk penyiraman bibit di persemaian dan "
            "pengamanan aset, dilaksanakan oleh petugas piket secara bergiliran. Pengunjung yang "
            "berencana melakukan kunjungan belajar atau penelitian diminta menjadwalkan ulang "
            "kegiatannya.</p>\n"
            "<p>Keluarga besar Balai Penelitian Tanaman Industri dan Penyegar mengucapkan Selamat "
            "Hari Raya Idul Fitri 1446 H. Mohon maaf lahir dan batin.</p>"
        ),
    },
    {
        "title": "Kepala Badan Tinjau Kebun Percobaan dan Fasilitas Perbenihan",
        "alias": "kepala-badan-tinjau-kebun-percobaan-dan-fasilitas-perbenihan",
        "category": "berita",
        "author": "Agus Setiawan",
        "created": "2025-04-22 10:00",
        "featured": False,
        "hits": 1520,
        "metadesc": (
            "Kepala Badan meninjau kebun entres dan laboratorium kultur jaringan untuk memastikan "
            "pasokan benih unggul."
        ),
        "intro": (
            "<p>Kepala Badan melakukan kunjungan kerja ke Balai untuk meninjau kebun percobaan dan "
            "fasilitas perbenihan kopi serta kakao. Kunjungan ini bertujuan memastikan "
            "ketersediaan benih unggul bagi program peremajaan kebun rakyat.</p>"
        ),
        "body": (
            "<p>Rombongan tiba di kebun percobaan pada Selasa pagi dan langsung diajak melihat "
            "kebun entres kopi robusta yang menjadi sumber bahan tanam sambung pucuk. Kepala Balai "
            "memaparkan bahwa kebun entres tersebut mampu menghasilkan lebih dari 150 ribu entres "
            "per tahun.</p>\n"
            "<p>Dalam arahannya, Kepala Badan meminta agar benih yang dihasilkan benar-benar "
            'sampai ke tangan petani. "Varietas unggul tidak ada artinya kalau hanya tersimpan di '
            'kebun percobaan. Pastikan distribusinya tepat sasaran dan mudah diakses," '
            "ujarnya.</p>\n"
            "<p>Kunjungan dilanjutkan ke laboratorium kultur jaringan yang sedang mengembangkan "
            "perbanyakan bibit kakao melalui embriogenesis somatik. Teknologi ini diharapkan mampu "
            "menghasilkan bibit dalam jumlah besar dengan sifat yang seragam.</p>\n"
            "<p>Beberapa hal yang menjadi catatan dalam kunjungan tersebut antara lain:</p>\n"
            "<ul><li>percepatan sertifikasi kebun induk dan kebun entres;</li><li>penguatan kerja "
            "sama dengan penangkar benih di daerah;</li><li>pemanfaatan aplikasi daring untuk "
            "pemesanan benih oleh kelompok tani.</li></ul>\n"
            "<p>Di akhir kunjungan, Kepala Badan menanam bibit kopi robusta klon unggul di area "
            "kebun koleksi sebagai simbol dukungan terhadap pengembangan kopi nasional.</p>"
        ),
    },
    {
        "title": "Sistem Sadap Frekuensi Rendah dengan Stimulan pada Klon Karet Unggul",
        "alias": "sistem-sadap-frekuensi-rendah-dengan-stimulan-pada-klon-karet-unggul",
        "category": "hasil-penelitian",
        "author": "Bambang Wicaksono",
        "created": "2025-05-13 09:30",
        "featured": True,
        "hits": 2745,
        "metadesc": (
            "Sadap frekuensi rendah dengan stimulan etefon mempertahankan produksi lateks "
            "sekaligus menghemat tenaga sadap."
        ),
        "intro": (
            "<p>Kekurangan tenaga penyadap dan harga karet yang fluktuatif mendorong pekebun "
            "mencari cara menekan biaya panen. Penelitian Balai menunjukkan sistem sadap frekuensi "
            "rendah yang dikombinasikan dengan stimulan etefon mampu mempertahankan produksi "
            "dengan jumlah hari sadap yang lebih sedikit.</p>"
        ),
        "body": (
            "<p>Percobaan dilakukan selama dua tahun pada tanaman karet menghasilkan berumur "
            "sembilan tahun. Tiga sistem sadap dibandingkan, yaitu sadap setengah spiral setiap "
            "tiga hari tanpa stimulan (S/2 d3), setiap empat hari dengan stimulan (S/2 d4 + ET "
            "2,5%), dan setiap enam hari dengan stimulan (S/2 d6 + ET 2,5%).</p>\n"
            "<table><thead><tr><th>Klon</th><th>S/2 d3 (kg/ha/th)</th><th>S/2 d4 + ET "
            "(kg/ha/th)</th><th>S/2 d6 + ET (kg/ha/th)</th></tr></thead><tbody>\n"
            "<tr><td>PB 260</td><td>1.845</td><td>1.912</td><td>1.768</td></tr>\n"
            "<tr><td>IRR 112</td><td>1.920</td><td>2.034</td><td>1.851</td></tr>\n"
            "<tr><td>GT 1</td><td>1.512</td><td>1.608</td><td>1.497</td></tr>\n"
            "</tbody></table>\n"
            "<p>Angka di atas merupakan rata-rata produksi karet kering. Sistem sadap empat hari "
            "sekali dengan stimulan memberikan hasil tertinggi pada ketiga klon, sedangkan sadap "
            "enam hari sekali hanya sedikit lebih rendah dibandingkan sistem konvensional.</p>\n"
            "<h3>Implikasi bagi Pekebun</h3>\n"
            "<p>Dengan frekuensi sadap yang lebih jarang, satu orang penyadap dapat menangani "
            "areal yang lebih luas. Pada sistem d6, kebutuhan tenaga sadap turun hingga "
            "separuhnya. Meski demikian, peneliti mengingatkan agar dosis dan interval stimulan "
            "tidak dilebihkan karena dapat memicu kering alur sadap.</p>\n"
            '<p>"Stimulan itu seperti vitamin, bukan obat kuat. Kalau berlebihan justru merusak '
            'tanaman," kata Andi Pratama, peneliti fisiologi tanaman karet yang terlibat dalam '
            "percobaan ini.</p>"
        ),
    },
    {
        "title": "Dua Klon Kopi Robusta Unggul Baru Resmi Dilepas",
        "alias": "dua-klon-kopi-robusta-unggul-baru-resmi-dilepas",
        "category": "berita",
        "author": "Dwi Rahmawati",
        "created": "2025-06-03 10:15",
        "featured": True,
        "hits": 6420,
        "metadesc": (
            "Robusta Parungkuda 1 dan 2 resmi dilepas sebagai klon unggul berpotensi hasil tinggi "
            "dan toleran kekeringan."
        ),
        "intro": (
            "<p>Pemerintah resmi melepas dua klon kopi robusta unggul hasil pemuliaan Balai, yaitu "
            "Robusta Parungkuda 1 dan Robusta Parungkuda 2. Kedua klon ini memiliki potensi hasil "
            "tinggi dan lebih toleran terhadap kekeringan.</p>"
        ),
        "body": (
            "<p>Pelepasan kedua klon tersebut merupakan buah kegiatan pemuliaan yang berlangsung "
            "lebih dari dua belas tahun, mulai dari seleksi pohon induk di kebun rakyat, uji "
            "adaptasi, hingga uji multilokasi di dataran rendah dan menengah.</p>\n"
            '<figure><img src="/static/img/demo/kebun-kopi.svg" alt="Barisan tanaman kopi robusta '
            'berbuah merah di kebun percobaan"><figcaption>Tanaman kopi robusta klon Parungkuda 1 '
            "di kebun uji multilokasi.</figcaption></figure>\n"
            "<p>Robusta Parungkuda 1 memiliki potensi produksi 2,6 ton biji kopi per hektare per "
            "tahun dengan ukuran biji yang besar dan seragam. Sementara itu, Robusta Parungkuda 2 "
            "unggul pada musim kemarau panjang karena perakarannya dalam dan daunnya tidak mudah "
            "layu.</p>\n"
            "<p>Kedua klon juga telah melalui uji cita rasa oleh penguji bersertifikat. Hasilnya, "
            "keduanya memperoleh nilai di atas 80 sehingga berpeluang dipasarkan sebagai kopi "
            "robusta spesialti.</p>\n"
            "<p>Kepala Balai menyampaikan bahwa bahan tanam kedua klon akan disebarkan bertahap "
            'melalui kebun entres di sentra produksi kopi. "Kami ingin petani merasakan manfaatnya '
            'secepat mungkin, terutama di daerah yang sering mengalami kemarau panjang," katanya. '
            "Informasi mengenai ketersediaan entres dapat diperoleh melalui layanan <a "
            'href="https://balittri.example.go.id/pakar-kopi">Pakar Kopi</a>.</p>'
        ),
    },
    {
        "title": "Pengumuman Tender Pengadaan Bahan Kimia Laboratorium Tahun Anggaran 2025",
        "alias": "pengumuman-tender-pengadaan-bahan-kimia-laboratorium-tahun-anggaran-2025",
        "category": "pengumuman",
        "author": "Fitri Handayani",
        "created": "2025-06-24 14:00",
        "featured": False,
        "hits": 530,
        "metadesc": (
            "Balai mengundang penyedia untuk mengikuti tender pengadaan bahan kimia laboratorium "
            "melalui LPSE."
        ),
        "intro": (
            "<p>Balai mengundang penyedia barang yang memenuhi kualifikasi untuk mengikuti tender "
            "pengadaan bahan kimia dan bahan habis pakai laboratorium tahun anggaran 2025. Seluruh "
            "proses dilaksanakan secara elektronik melalui LPSE.</p>"
        ),
        "body": (
            "<p>Pengadaan ini diperlukan untuk mendukung kegiatan analisis tanah, jaringan "
            "tanaman, dan mutu hasil di laboratorium Balai. Nilai harga perkiraan sendiri (HPS) "
            "paket ini sebesar Rp1.248.500.000,00 termasuk pajak.</p>\n"
            "<h3>Ketentuan Umum</h3>\n"
            "<ul><li>Metode pemilihan: tender pascakualifikasi dengan evaluasi sistem "
            "gugur.</li><li>Kualifikasi usaha: usaha kecil dengan izin usaha perdagangan bahan "
            "kimia yang masih berlaku.</li><li>Pendaftaran dan pengunduhan dokumen: 24 Juni hingga "
            "3 Juli 2025.</li><li>Pemberian penjelasan (<em>aanwijzing</em>): 27 Juni 2025 secara "
            "daring.</li></ul>\n"
            "<p>Calon penyedia wajib telah terdaftar dan memiliki akun aktif pada <a "
            'href="https://lpse.pertanian.go.id/">LPSE Kementerian Pertanian</a>. Dokumen '
            "pemilihan, jadwal lengkap, dan perubahan ketentuan, jika ada, hanya diumumkan melalui "
            "sistem tersebut.</p>\n"
            "<p>Kelompok Kerja Pemilihan tidak pernah meminta imbalan dalam bentuk apa pun kepada "
            "calon penyedia. Apabila terdapat indikasi penyimpangan, silakan laporkan melalui "
            "kanal pengaduan resmi. Pertanyaan teknis terkait spesifikasi bahan disampaikan "
            "melalui fasilitas tanya jawab di LPSE.</p>"
        ),
    },
    {
        "title": "Temu Lapang Rehabilitasi Kakao dengan Teknik Sambung Samping",
        "alias": "temu-lapang-rehabilitasi-kakao-dengan-teknik-sambung-samping",
        "category": "kegiatan",
        "author": "Hendra Saputra",
        "created": "2025-07-15 08:30",
        "featured": True,
        "hits": 1984,
        "metadesc": (
            "Temu lapang di Pesawaran memperlihatkan hasil sambung samping yang melipatgandakan "
            "produktivitas kakao tua."
        ),
        "intro": (
            "<p>Lebih dari 150 petani, penyuluh, dan pelaku usaha menghadiri temu lapang "
            "rehabilitasi kebun kakao di Kabupaten Pesawaran, Lampung. Peserta melihat langsung "
            "hasil sambung samping yang dua tahun lalu diterapkan pada tanaman kakao tua.</p>"
        ),
        "body": (
            "<p>Kebun demonstrasi seluas lima hektare itu semula berisi tanaman kakao berumur "
            "lebih dari 20 tahun dengan produksi kurang dari 400 kilogram per hektare. Melalui "
            "teknik sambung samping menggunakan entres klon unggul, produktivitas kebun kini "
            "mencapai 1,3 ton per hektare tanpa harus membongkar tanaman lama.</p>\n"
            "<p>Kepala dinas perkebunan setempat yang membuka acara menilai teknik ini cocok untuk "
            'petani kecil. "Petani tetap bisa panen dari batang lama sambil menunggu sambungan '
            'berbuah. Tidak ada masa kosong pendapatan," ujarnya.</p>\n'
            "<p>Temu lapang diisi dengan kunjungan ke empat pos pembelajaran:</p>\n"
            "<ol><li>pemilihan dan penyiapan entres;</li><li>praktik sambung "
            "samping;</li><li>pemangkasan batang lama setelah sambungan tumbuh;</li><li>fermentasi "
            "biji kakao untuk meningkatkan mutu.</li></ol>\n"
            "<p>Di akhir acara, kelompok tani pengelola kebun demonstrasi menyerahkan hasil panen "
            "perdana biji kakao fermentasi kepada koperasi mitra. Balai juga membagikan 2.000 "
            "entres klon unggul kepada kelompok tani yang hadir sebagai bahan praktik di kebun "
            "masing-masing.</p>"
        ),
    },
    {
        "title": "Cara Mengajukan Permohonan Informasi Publik melalui PPID Balai",
        "alias": "cara-mengajukan-permohonan-informasi-publik-melalui-ppid-balai",
        "category": "artikel",
        "author": "Fitri Handayani",
        "created": "2025-08-05 09:45",
        "featured": False,
        "hits": 688,
        "metadesc": (
            "Panduan langkah demi langkah mengajukan permohonan informasi publik kepada PPID Balai."
        ),
        "intro": (
            "<p>Setiap warga negara berhak memperoleh informasi publik yang dikelola badan publik. "
            "Artikel ini menjelaskan langkah-langkah mengajukan permohonan informasi melalui "
            "Pejabat Pengelola Informasi dan Dokumentasi (PPID) Balai.</p>"
        ),
        "body": (
            "<p>Keterbukaan informasi publik dijamin oleh Undang-Undang Nomor 14 Tahun 2008. "
            "Sebagai badan publik, Balai berkewajiban menyediakan informasi secara berkala, serta "
            "merta, dan setiap saat, kecuali informasi yang dikecualikan berdasarkan uji "
            "konsekuensi.</p>\n"
            "<h2>Langkah Pengajuan</h2>\n"
            "<ol><li>Isi formulir permohonan informasi secara daring atau datang langsung ke meja "
            "layanan PPID di kantor Balai.</li><li>Lampirkan salinan identitas diri; pemohon "
            "berbadan hukum melampirkan akta pendirian.</li><li>Sebutkan rincian informasi yang "
            "dibutuhkan serta tujuan penggunaannya.</li><li>Simpan nomor registrasi permohonan "
            "untuk memantau perkembangannya.</li></ol>\n"
            "<p>PPID wajib memberikan tanggapan paling lambat sepuluh hari kerja sejak permohonan "
            "diterima dan dapat memperpanjang waktu paling lama tujuh hari kerja dengan "
            "pemberitahuan tertulis. Layanan informasi tidak dipungut biaya; pemohon hanya "
            "menanggung biaya penggandaan apabila meminta salinan cetak.</p>\n"
            "<h3>Jika Permohonan Tidak Dipenuhi</h3>\n"
            "<p>Pemohon yang tidak puas dengan tanggapan PPID dapat mengajukan keberatan kepada "
            "atasan PPID dalam waktu 30 hari kerja. Jika masih belum puas, sengketa dapat diajukan "
            "ke Komisi Informasi.</p>\n"
            "<p>Daftar informasi publik dan formulir permohonan dapat diakses melalui laman <a "
            'href="https://ppid.pertanian.go.id/">PPID Kementerian Pertanian</a> maupun laman PPID '
            "Balai.</p>"
        ),
    },
    {
        "title": "Lokakarya Media Sosial untuk Komunikasi Publik Instansi Pemerintah",
        "alias": "lokakarya-media-sosial-untuk-komunikasi-publik-instansi-pemerintah",
        "category": "kegiatan",
        "author": "Agus Setiawan",
        "created": "2025-08-19 13:30",
        "featured": True,
        "hits": 1342,
        "metadesc": (
            "Pengelola kehumasan instansi pertanian belajar menyusun konten media sosial yang "
            "informatif dan mudah dipahami."
        ),
        "intro": (
            "<p>Balai menggelar lokakarya pemanfaatan media sosial bagi pengelola kehumasan dari "
            "sejumlah unit kerja lingkup pertanian di Jawa Barat. Peserta belajar menyusun konten "
            "yang informatif, mudah dipahami, dan tetap sesuai kaidah komunikasi pemerintah.</p>"
        ),
        "body": (
            "<p>Lokakarya selama dua hari ini diikuti 45 peserta yang sehari-hari mengelola akun "
            "resmi instansi. Menurut panitia, banyak akun pemerintah yang aktif mengunggah konten, "
            "tetapi interaksinya rendah karena pesan yang disampaikan terlalu kaku dan "
            "panjang.</p>\n"
            "<p>Narasumber dari kalangan praktisi komunikasi digital, Ratna Permatasari, mengajak "
            'peserta memandang media sosial sebagai ruang percakapan. "Masyarakat ingin tahu apa '
            "manfaat sebuah program bagi mereka, bukan sekadar siapa yang hadir di acara "
            'pembukaan," tuturnya.</p>\n'
            "<h3>Materi Lokakarya</h3>\n"
            "<ol><li>Menyusun kalender konten bulanan berdasarkan agenda kerja "
            "instansi.</li><li>Menulis keterangan unggahan yang singkat, jelas, dan bebas jargon "
            "teknis.</li><li>Memproduksi video pendek menggunakan telepon "
            "genggam.</li><li>Menanggapi komentar dan keluhan warganet secara "
            "santun.</li><li>Membaca data analitik untuk mengevaluasi jangkauan konten.</li></ol>\n"
            "<p>Pada sesi praktik, peserta dibagi menjadi beberapa kelompok untuk membuat konten "
            "tentang hasil penelitian. Salah satu kelompok mengubah laporan teknis pemupukan kopi "
            "menjadi infografis bergambar dan video berdurasi satu menit yang langsung dinilai "
            "bersama.</p>\n"
            "<p>Peserta juga diingatkan untuk menjaga keamanan akun dengan verifikasi dua langkah "
            "serta memastikan setiap informasi yang dibagikan telah melalui pemeriksaan fakta.</p>"
        ),
    },
    {
        "title": "Teknik Penyerbukan Buatan pada Tanaman Vanili",
        "alias": "teknik-penyerbukan-buatan-pada-tanaman-vanili",
        "category": "teknologi-budidaya",
        "author": "Rina Kusumawardani",
        "created": "2025-09-09 10:20",
        "featured": False,
        "hits": 2210,
        "metadesc": (
            "Langkah-langkah penyerbukan buatan bunga vanili untuk meningkatkan jumlah polong dan "
            "hasil panen."
        ),
        "intro": (
            "<p>Bunga vanili sulit menyerbuk sendiri secara alami karena struktur bunganya yang "
            "khas. Penyerbukan buatan menjadi tahapan penting yang menentukan jumlah polong dan "
            "hasil panen vanili.</p>"
        ),
        "body": (
            "<p>Di daerah asalnya, penyerbukan vanili dibantu oleh jenis lebah tertentu yang tidak "
            "terdapat di Indonesia. Karena itu, petani perlu melakukan penyerbukan dengan tangan. "
            "Bunga vanili hanya mekar selama satu hari, sehingga penyerbukan harus dilakukan pada "
            "pagi hingga menjelang siang, idealnya antara pukul 06.00 dan 11.00.</p>\n"
            "<h2>Langkah-Langkah Penyerbukan</h2>\n"
            "<ol><li>Siapkan alat penyerbuk berupa lidi atau tusuk gigi bambu yang runcing dan "
            "bersih.</li><li>Pegang bunga yang sedang mekar, lalu sobek bibir bunga (labellum) "
            "secara perlahan agar tugu bunga terlihat.</li><li>Angkat rostelum, yaitu selaput yang "
            "memisahkan kepala sari dan kepala putik, menggunakan ujung lidi.</li><li>Tekan kepala "
            "sari dengan ibu jari hingga menempel pada kepala putik.</li><li>Beri tanda pada bunga "
            "yang telah diserbuki, misalnya dengan benang, untuk memudahkan pemantauan.</li></ol>\n"
            "<p>Bunga yang berhasil diserbuki tidak akan rontok dan tangkainya tetap hijau setelah "
            "dua hingga tiga hari. Seorang pekerja terampil dapat menyerbuki 1.000 hingga 1.500 "
            "bunga per hari.</p>\n"
            "<h3>Tips dari Peneliti</h3>\n"
            "<ul><li>Batasi jumlah bunga yang diserbuki, maksimal 10-12 bunga per tandan, agar "
            "polong tumbuh besar.</li><li>Hindari penyerbukan saat hujan karena serbuk sari mudah "
            "rusak.</li><li>Pertahankan kesehatan tanaman dengan pemupukan organik dan naungan "
            "yang cukup.</li></ul>\n"
            "<p>Polong vanili siap dipanen sekitar delapan hingga sembilan bulan setelah "
            "penyerbukan, ditandai ujung polong yang mulai menguning.</p>"
        ),
    },
    {
        "title": "Tajar Hidup Gamal Tingkatkan Produktivitas dan Umur Tanaman Lada",
        "alias": "tajar-hidup-gamal-tingkatkan-produktivitas-dan-umur-tanaman-lada",
        "category": "hasil-penelitian",
        "author": "Bambang Wicaksono",
        "created": "2025-09-30 08:50",
        "featured": False,
        "hits": 1456,
        "metadesc": (
            "Penelitian di Bangka Belitung menunjukkan tajar hidup gamal meningkatkan hasil lada "
            "hingga 22 persen."
        ),
        "intro": (
            "<p>Penggunaan tajar hidup gamal yang dipangkas teratur terbukti memberikan lingkungan "
            "tumbuh yang lebih baik bagi tanaman lada dibandingkan tajar mati. Penelitian Balai di "
            "Bangka Belitung mencatat kenaikan hasil hingga 22 persen.</p>"
        ),
        "body": (
            "<p>Sebagian besar petani lada di Bangka Belitung masih menggunakan tajar mati dari "
            "kayu hutan. Selain harganya terus naik, tajar mati membuat tanaman lada terpapar "
            "sinar matahari penuh sehingga mudah stres pada musim kemarau dan lebih cepat "
            "menua.</p>\n"
            "<p>Penelitian dilakukan selama empat tahun dengan membandingkan tiga jenis tajar, "
            "yaitu tajar mati, tajar hidup gamal (<em>Gliricidia sepium</em>), dan tajar hidup "
            "dadap. Tajar hidup dipangkas dua kali setahun dan hasil pangkasannya dikembalikan ke "
            "tanah sebagai mulsa.</p>\n"
            "<h2>Temuan Utama</h2>\n"
            "<ul><li>Produksi lada pada tajar gamal rata-rata 2,4 kilogram lada putih per pohon "
            "per tahun, lebih tinggi 22 persen dibandingkan tajar mati.</li><li>Kelembapan tanah "
            "di sekitar perakaran lebih stabil, terutama pada bulan Juli hingga "
            "September.</li><li>Kejadian penyakit kuning lada lebih rendah karena populasi "
            "nematoda tertekan oleh bahan organik dari pangkasan.</li><li>Biaya tajar dalam jangka "
            "panjang turun karena tajar hidup tidak perlu diganti.</li></ul>\n"
            "<p>Meski demikian, tajar hidup membutuhkan disiplin pemangkasan. Tajar yang dibiarkan "
            "rimbun justru bersaing dengan lada dalam memperoleh cahaya dan unsur hara.</p>\n"
            "<p>Peneliti Balai, Maria Ulfah, menyarankan agar petani menanam stek gamal setidaknya "
            'satu tahun sebelum penanaman lada. "Dengan begitu, tajar sudah cukup kuat ketika '
            'sulur lada mulai dipanjatkan," jelasnya.</p>'
        ),
    },
    {
        "title": "Hasil Survei Kepuasan Masyarakat Semester I Tahun 2025",
        "alias": "hasil-survei-kepuasan-masyarakat-semester-i-tahun-2025",
        "category": "pengumuman",
        "author": "Dwi Rahmawati",
        "created": "2025-10-14 10:40",
        "featured": False,
        "hits": 603,
        "metadesc": (
            "Indeks Kepuasan Masyarakat terhadap layanan Balai semester I 2025 mencapai 87,17 "
            "dengan mutu pelayanan B (baik)."
        ),
        "intro": (
            "<p>Balai telah menyelesaikan Survei Kepuasan Masyarakat (SKM) terhadap layanan publik "
            "periode Januari hingga Juni 2025. Nilai indeks kepuasan masyarakat mencapai 87,17 "
            "dengan mutu pelayanan kategori B (baik).</p>"
        ),
        "body": (
            "<p>Survei melibatkan 312 responden pengguna layanan, meliputi layanan informasi "
            "publik, penjualan benih dan bibit, analisis laboratorium, serta kunjungan belajar. "
            "Pengukuran menggunakan sembilan unsur pelayanan sesuai pedoman penyusunan survei "
            "kepuasan masyarakat bagi unit penyelenggara pelayanan publik.</p>\n"
            "<p>Tiga unsur dengan nilai tertinggi adalah:</p>\n"
            "<ul><li>biaya atau tarif layanan (3,78), karena tarif diumumkan secara "
            "terbuka;</li><li>perilaku pelaksana (3,58), yang dinilai ramah dan "
            "sopan;</li><li>persyaratan layanan (3,52), yang dinilai mudah dipenuhi.</li></ul>\n"
            "<p>Adapun nilai terendah terdapat pada unsur penanganan pengaduan (3,29) serta waktu "
            "penyelesaian (3,31). Sebagian responden menyampaikan bahwa tanggapan atas pertanyaan "
            "melalui telepon kadang lambat, terutama pada musim pemesanan benih.</p>\n"
            "<p>Sebagai tindak lanjut, Balai akan menambah petugas layanan pada bulan-bulan sibuk, "
            "menyediakan nomor layanan pesan khusus pemesanan benih, dan memublikasikan standar "
            "waktu penyelesaian setiap jenis layanan di ruang tunggu. Masyarakat dapat terus "
            'memberikan penilaian melalui <a href="https://balittri.example.go.id/skm">formulir '
            "SKM daring</a>.</p>"
        ),
    },
    {
        "title": "Komisi IV DPR RI Tinjau Pengembangan Benih Kopi dan Kakao",
        "alias": "komisi-iv-dpr-ri-tinjau-pengembangan-benih-kopi-dan-kakao",
        "category": "berita",
        "author": "Hendra Saputra",
        "created": "2025-10-28 14:15",
        "featured": False,
        "hits": 1102,
        "metadesc": (
            "Rombongan Komisi IV DPR RI meninjau kesiapan penyediaan benih unggul kopi dan kakao "
            "serta berdialog dengan petani."
        ),
        "intro": (
            "<p>Rombongan Komisi IV DPR RI melakukan kunjungan kerja spesifik ke Balai untuk "
            "melihat kesiapan penyediaan benih unggul kopi dan kakao. Para anggota dewan juga "
            "berdialog dengan peneliti dan perwakilan kelompok tani.</p>"
        ),
        "body": (
            "<p>Kunjungan diawali dengan paparan Kepala Balai mengenai capaian perakitan varietas, "
            "kapasitas produksi benih, serta kendala yang dihadapi dalam penyebaran benih ke "
            "daerah. Dalam tiga tahun terakhir, Balai telah menyalurkan lebih dari 1,2 juta benih "
            "dan entres kopi serta kakao ke berbagai provinsi.</p>\n"
            "<p>Ketua rombongan mengapresiasi capaian tersebut, namun mengingatkan bahwa kebutuhan "
            'benih untuk peremajaan kebun rakyat masih jauh lebih besar. "Kami akan memperjuangkan '
            "dukungan anggaran, tetapi kami juga ingin melihat sistem distribusi yang transparan "
            'dan terpantau," ujarnya.</p>\n'
            "<p>Dalam sesi dialog, perwakilan kelompok tani menyampaikan beberapa aspirasi, antara "
            "lain:</p>\n"
            "<ul><li>kemudahan memperoleh benih bersertifikat dengan harga "
            "terjangkau;</li><li>pendampingan pascapanen agar mutu biji memenuhi standar "
            "ekspor;</li><li>akses pembiayaan untuk peremajaan kebun.</li></ul>\n"
            "<p>Rombongan kemudian meninjau unit pengolahan kopi dan cokelat skala kecil yang "
            "menjadi tempat pelatihan hilirisasi bagi petani. Di sana, para anggota dewan "
            "mencicipi kopi robusta dan cokelat batangan yang diolah dari hasil kebun "
            "percobaan.</p>"
        ),
    },
    {
        "title": "Pemangkasan Tanaman Kakao agar Berbuah Optimal",
        "alias": "pemangkasan-tanaman-kakao-agar-berbuah-optimal",
        "category": "teknologi-budidaya",
        "author": "Rina Kusumawardani",
        "created": "2025-11-18 09:10",
        "featured": False,
        "hits": 1789,
        "metadesc": (
            "Jenis-jenis pemangkasan kakao dan hal yang perlu diperhatikan agar tanaman sehat dan "
            "berbuah optimal."
        ),
        "intro": (
            "<p>Pemangkasan merupakan salah satu pekerjaan kebun kakao yang sering diabaikan. "
            "Padahal, tajuk yang terlalu rimbun membuat kebun lembap dan memicu serangan penyakit "
            "busuk buah.</p>"
        ),
        "body": (
            "<p>Tujuan utama pemangkasan adalah membentuk kerangka tanaman yang kuat, mengatur "
            "masuknya cahaya ke dalam tajuk, dan membuang bagian tanaman yang tidak produktif atau "
            "terserang penyakit. Kebun yang dipangkas dengan baik juga lebih mudah dipanen dan "
            "dikendalikan hamanya.</p>\n"
            "<h2>Jenis Pemangkasan</h2>\n"
            "<ul><li><strong>Pangkas bentuk</strong>: dilakukan pada tanaman muda untuk membentuk "
            "tiga hingga empat cabang primer yang seimbang.</li><li><strong>Pangkas "
            "pemeliharaan</strong>: membuang tunas air, cabang yang saling menaungi, dan ranting "
            "kering setiap dua hingga tiga bulan.</li><li><strong>Pangkas produksi</strong>: "
            "mengatur tajuk menjelang musim hujan agar cahaya masuk merata dan bunga terbentuk "
            "lebih banyak.</li><li><strong>Pangkas sanitasi</strong>: memotong bagian yang "
            "terserang penyakit, lalu membenamkan sisa pangkasan ke dalam tanah.</li></ul>\n"
            "<h3>Hal yang Perlu Diperhatikan</h3>\n"
            "<p>Tinggi tanaman sebaiknya dipertahankan sekitar tiga hingga empat meter agar buah "
            "mudah dijangkau. Gunakan gunting pangkas atau gergaji yang tajam dan bersih, serta "
            "hindari memangkas terlalu berat sekaligus karena dapat membuat tanaman stres.</p>\n"
            "<p>Pemangkasan juga perlu dibarengi dengan pengaturan pohon penaung. Untuk tanaman "
            "kakao dewasa, cahaya yang masuk ke kebun idealnya sekitar 60-70 persen. Informasi "
            "teknis yang lebih lengkap dapat dibaca pada buku saku budidaya kakao di <a "
            'href="https://balittri.example.go.id/perpustakaan-digital">perpustakaan digital</a> '
            "Balai.</p>"
        ),
    },
    {
        "title": (
            "Peringatan Hari Antikorupsi Sedunia, Pegawai Balai Deklarasikan Tolak Gratifikasi"
        ),
        "alias": "peringatan-hari-antikorupsi-sedunia-pegawai-balai-deklarasikan-tolak-gratifikasi",
        "category": "berita",
        "author": "Agus Setiawan",
        "created": "2025-12-09 10:00",
        "featured": True,
        "hits": 1255,
        "metadesc": (
            "Pegawai Balai mendeklarasikan penolakan gratifikasi dalam peringatan Hari Antikorupsi "
            "Sedunia 2025."
        ),
        "intro": (
            "<p>Memperingati Hari Antikorupsi Sedunia, seluruh pegawai Balai mengikuti apel "
            "bersama dan mendeklarasikan penolakan terhadap gratifikasi. Kegiatan ini sekaligus "
            "menjadi evaluasi akhir tahun pelaksanaan pembangunan Zona Integritas.</p>"
        ),
        "body": (
            "<p>Apel dilaksanakan di halaman kantor Balai pada Selasa pagi, 9 Desember 2025. Usai "
            "apel, pegawai membacakan ikrar secara bersama-sama yang dipimpin oleh perwakilan "
            "peneliti muda.</p>\n"
            "<blockquote><p>Kami, pegawai Balai Penelitian Tanaman Industri dan Penyegar, berjanji "
            "untuk menolak segala bentuk gratifikasi, tidak menyalahgunakan wewenang, dan melayani "
            "masyarakat dengan jujur, adil, serta tanpa pungutan di luar "
            "ketentuan.</p></blockquote>\n"
            "<p>Dalam sambutannya, Kepala Balai menyampaikan bahwa sepanjang tahun 2025 Unit "
            "Pengendali Gratifikasi Balai menerima tujuh laporan penolakan dan penerimaan "
            "gratifikasi dari pegawai, yang seluruhnya telah ditindaklanjuti sesuai ketentuan. "
            '"Melapor bukan berarti bersalah. Justru itu bukti bahwa sistem kita berjalan," '
            "ujarnya.</p>\n"
            "<h3>Rangkaian Kegiatan</h3>\n"
            "<ul><li>pemasangan spanduk dan materi kampanye antikorupsi di ruang "
            "layanan;</li><li>diskusi tentang konflik kepentingan dalam pengadaan barang dan "
            "jasa;</li><li>lomba poster integritas antarunit kerja.</li></ul>\n"
            "<p>Pegawai maupun masyarakat yang mengetahui adanya penerimaan gratifikasi dapat "
            "melaporkannya melalui aplikasi <a "
            'href="https://balittri.example.go.id/sigap-upg">Sigap UPG</a>. Setiap laporan '
            "ditangani secara rahasia.</p>"
        ),
    },
    {
        "title": "Jadwal Layanan Publik Selama Libur Natal dan Tahun Baru 2026",
        "alias": "jadwal-layanan-publik-selama-libur-natal-dan-tahun-baru-2026",
        "category": "pengumuman",
        "author": "Fitri Handayani",
        "created": "2025-12-12 15:30",
        "featured": False,
        "hits": 498,
        "metadesc": (
            "Penyesuaian layanan publik Balai selama libur Natal 2025 dan Tahun Baru 2026, "
            "termasuk batas pemesanan benih."
        ),
        "intro": (
            "<p>Dalam rangka libur Hari Raya Natal 2025 dan Tahun Baru 2026, Balai menyesuaikan "
            "jadwal pelayanan publik. Layanan tatap muka ditiadakan pada hari libur nasional dan "
            "cuti bersama, sedangkan layanan daring tetap dibuka.</p>"
        ),
        "body": (
            "<p>Kantor Balai tidak melayani pengunjung pada tanggal 25 dan 26 Desember 2025 serta "
            "1 Januari 2026. Di luar tanggal tersebut, pelayanan berjalan normal pada hari kerja "
            "mulai pukul 08.00 hingga 16.00 WIB.</p>\n"
            "<p>Menjelang akhir tahun anggaran, beberapa layanan memiliki batas waktu khusus:</p>\n"
            "<ul><li>pemesanan benih dan bibit untuk pengambilan tahun ini diterima paling lambat "
            "19 Desember 2025;</li><li>permintaan analisis laboratorium baru akan diproses kembali "
            "mulai 5 Januari 2026;</li><li>permohonan informasi publik tetap diterima secara "
            "daring dan dihitung sejak hari kerja berikutnya.</li></ul>\n"
            "<p>Penjualan benih pada tahun 2026 mengikuti tarif penerimaan negara bukan pajak yang "
            "berlaku. Calon pembeli disarankan memeriksa ketersediaan benih terlebih dahulu "
            "sebelum datang ke kebun percobaan.</p>\n"
            "<p>Keluarga besar Balai mengucapkan Selamat Hari Natal 2025 bagi yang merayakan dan "
            "Selamat Tahun Baru 2026. Semoga tahun mendatang membawa hasil panen yang lebih baik "
            "bagi para pekebun Indonesia.</p>"
        ),
    },
    {
        "title": "Balai Lepas Dua Klon Kakao Unggul Toleran Penyakit Busuk Buah",
        "alias": "balai-lepas-dua-klon-kakao-unggul-toleran-penyakit-busuk-buah",
        "category": "berita",
        "author": "Dwi Rahmawati",
        "created": "2026-01-20 09:00",
        "featured": True,
        "hits": 5210,
        "metadesc": (
            "Klon kakao KSB 3 dan KSB 5 resmi dilepas dengan daya hasil tinggi dan ketahanan baik "
            "terhadap busuk buah."
        ),
        "intro": (
            "<p>Dua klon kakao hasil pemuliaan Balai, Kakao Sukabumi 3 (KSB 3) dan Kakao Sukabumi "
            "5 (KSB 5), resmi dilepas sebagai varietas unggul. Keduanya memiliki daya hasil tinggi "
            "dan ketahanan yang baik terhadap penyakit busuk buah <em>Phytophthora</em>.</p>"
        ),
        "body": (
            "<p>Pelepasan kedua klon ditetapkan melalui keputusan menteri setelah melalui uji "
            "multilokasi di Jawa Barat, Lampung, Sulawesi Tengah, dan Sulawesi Selatan selama enam "
            "tahun. Keduanya diseleksi dari populasi hasil persilangan antara klon lokal bermutu "
            "tinggi dan klon introduksi yang tahan penyakit.</p>\n"
            "<h2>Keunggulan Klon</h2>\n"
            "<ul><li><strong>KSB 3</strong>: potensi hasil 2,8 ton biji kering per hektare per "
            "tahun, bobot biji 1,21 gram, kadar lemak 54,2 persen, dan tahan terhadap busuk "
            "buah.</li><li><strong>KSB 5</strong>: potensi hasil 2,5 ton biji kering per hektare "
            "per tahun, bobot biji 1,34 gram, kadar lemak 55,6 persen, dan agak tahan terhadap "
            "busuk buah.</li></ul>\n"
            "<p>Ketua tim pemulia, Dr. Teguh Prasetyo, mengatakan KSB 3 cocok dikembangkan di "
            "wilayah dengan curah hujan tinggi, sedangkan KSB 5 lebih diarahkan untuk industri "
            'cokelat premium karena ukuran bijinya besar dan cita rasanya kuat. "Kami menyarankan '
            "petani menanam lebih dari satu klon dalam satu kebun untuk menjaga penyerbukan "
            'silang," ujarnya.</p>\n'
            "<p>Balai menargetkan penyediaan 50.000 entres kedua klon pada tahun pertama. "
            "Penangkar benih dan dinas perkebunan yang berminat dapat mengajukan permintaan "
            'melalui layanan <a href="https://balittri.example.go.id/satu-layanan">Satu '
            "Layanan</a>.</p>"
        ),
    },
    {
        "title": "Bimtek Pascapanen dan Pengolahan Kopi Spesialti untuk Petani Muda",
        "alias": "bimtek-pascapanen-dan-pengolahan-kopi-spesialti-untuk-petani-muda",
        "category": "kegiatan",
        "author": "Hendra Saputra",
        "created": "2026-02-03 13:20",
        "featured": False,
        "hits": 1630,
        "metadesc": (
            "Tiga puluh petani muda berlatih pengolahan pascapanen kopi, dari sortasi buah merah "
            "hingga uji cita rasa."
        ),
        "intro": (
            "<p>Sebanyak 30 petani muda dari Jawa Barat dan Banten mengikuti bimbingan teknis "
            "pascapanen kopi di Balai. Pelatihan difokuskan pada tahapan pengolahan yang "
            "menentukan cita rasa, mulai dari petik merah hingga penyangraian.</p>"
        ),
        "body": (
            "<p>Mutu kopi tidak hanya ditentukan oleh varietas dan kondisi kebun, tetapi juga oleh "
            "cara petani memperlakukan buah setelah dipanen. Karena itu, pelatihan ini memberi "
            "porsi praktik yang besar, sekitar 70 persen dari seluruh waktu pelatihan.</p>\n"
            "<h3>Materi Praktik</h3>\n"
            "<ol><li>Sortasi buah merah dan perambangan untuk memisahkan buah "
            "hampa.</li><li>Pengolahan cara basah (<em>full wash</em>), semibasah, madu "
            "(<em>honey</em>), dan natural.</li><li>Pengeringan di para-para dan pengukuran kadar "
            "air biji.</li><li>Sortasi biji berdasarkan standar mutu "
            "nasional.</li><li>Penyangraian skala kecil dan uji cita rasa "
            "(<em>cupping</em>).</li></ol>\n"
            "<p>Pada hari terakhir, peserta mencicipi hasil olahan masing-masing kelompok. "
            "Perbedaan rasa yang cukup jelas antara kopi yang diolah secara natural dan cara basah "
            'membuat banyak peserta terkejut. "Dari buah yang sama, rasanya bisa sangat berbeda. '
            'Ini membuka peluang kami menjual kopi dengan harga lebih baik," ujar Siti Aisyah '
            "Rahmah, peserta asal Kabupaten Garut.</p>\n"
            "<p>Setelah pelatihan, peserta akan tergabung dalam grup pendampingan daring bersama "
            "peneliti dan penyuluh. Balai juga membuka layanan uji mutu biji kopi bagi alumni "
            "pelatihan yang ingin mengikuti kompetisi kopi tingkat daerah.</p>"
        ),
    },
    {
        "title": "Penyesuaian Jam Layanan Selama Ramadan dan Libur Idul Fitri 1447 H",
        "alias": "penyesuaian-jam-layanan-selama-ramadan-dan-libur-idul-fitri-1447-h",
        "category": "pengumuman",
        "author": "Fitri Handayani",
        "created": "2026-02-16 10:10",
        "featured": False,
        "hits": 720,
        "metadesc": (
            "Jam pelayanan publik Balai selama Ramadan 1447 H disesuaikan dengan ketentuan jam "
            "kerja aparatur sipil negara."
        ),
        "intro": (
            "<p>Selama bulan Ramadan 1447 Hijriah, jam pelayanan publik di Balai disesuaikan "
            "dengan ketentuan jam kerja aparatur sipil negara. Jadwal libur Idul Fitri mengikuti "
            "penetapan libur nasional dan cuti bersama dari pemerintah.</p>"
        ),
        "body": (
            "<p>Mulai hari pertama Ramadan hingga akhir bulan puasa, layanan tatap muka dibuka "
            "dengan jadwal sebagai berikut:</p>\n"
            "<ul><li>Senin sampai Kamis: pukul 08.00-15.00 WIB, istirahat pukul 12.00-12.30 "
            "WIB;</li><li>Jumat: pukul 08.00-15.30 WIB, istirahat pukul 11.30-12.30 "
            "WIB.</li></ul>\n"
            "<p>Layanan penjualan benih dan bibit di kebun percobaan tetap buka pada hari kerja, "
            "tetapi pengambilan dalam jumlah besar, di atas 1.000 batang, harus dijadwalkan paling "
            "lambat tiga hari sebelumnya. Hal ini untuk memastikan petugas dapat menyiapkan bibit "
            "dengan baik dan pengemasan tidak terburu-buru.</p>\n"
            "<p>Selama libur Idul Fitri, kantor Balai tidak membuka layanan tatap muka. Tanggal "
            "penutupan dan pembukaan kembali layanan mengikuti keputusan bersama tentang hari "
            "libur nasional dan cuti bersama tahun 2026 dan akan diumumkan kembali menjelang hari "
            "raya. Permohonan informasi publik dan pengaduan tetap dapat disampaikan melalui kanal "
            "daring.</p>\n"
            "<p>Kami mengucapkan selamat menunaikan ibadah puasa Ramadan bagi umat Islam. Semoga "
            "kita semua diberi kesehatan dan kelancaran dalam menjalankan tugas pelayanan.</p>"
        ),
    },
    {
        "title": "Metode Kuring Menentukan Kadar Vanilin Polong Vanili",
        "alias": "metode-kuring-menentukan-kadar-vanilin-polong-vanili",
        "category": "hasil-penelitian",
        "author": "Bambang Wicaksono",
        "created": "2026-03-17 09:25",
        "featured": True,
        "hits": 1390,
        "metadesc": (
            "Pelayuan dengan air panas menghasilkan kadar vanilin tertinggi dibandingkan "
            "penjemuran dan pelayuan dengan oven."
        ),
        "intro": (
            "<p>Mutu vanili tidak hanya ditentukan saat panen, tetapi juga pada proses kuring atau "
            "pemeraman. Penelitian Balai membandingkan tiga metode pelayuan dalam proses kuring "
            "dan menemukan perbedaan kadar vanilin yang cukup besar.</p>"
        ),
        "body": (
            "<p>Polong vanili yang baru dipanen belum memiliki aroma khas. Senyawa vanilin "
            "terbentuk melalui serangkaian proses, yaitu pelayuan, pemeraman, pengeringan lambat, "
            "dan pengondisian. Kesalahan pada salah satu tahap dapat menurunkan mutu sekaligus "
            "harga jual.</p>\n"
            "<p>Peneliti menguji tiga metode pelayuan, yaitu pencelupan dalam air panas bersuhu "
            "63-65 °C selama tiga menit, penjemuran langsung, dan pelayuan dalam oven bersuhu 45 "
            "°C. Polong berasal dari kebun yang sama dan dipanen pada tingkat kematangan yang "
            "seragam.</p>\n"
            "<h2>Hasil Pengujian</h2>\n"
            "<ul><li>Pelayuan dengan air panas menghasilkan kadar vanilin tertinggi, rata-rata "
            "2,41 persen, dengan warna polong cokelat gelap yang merata.</li><li>Pelayuan dengan "
            "oven menghasilkan kadar vanilin 2,18 persen dengan waktu proses paling "
            "singkat.</li><li>Penjemuran langsung menghasilkan kadar vanilin terendah, yaitu 1,87 "
            "persen, karena suhu sulit dikendalikan dan sangat bergantung pada cuaca.</li></ul>\n"
            "<p>Kadar vanilin di atas 2 persen termasuk kategori mutu baik dalam perdagangan. "
            "Dengan metode air panas, petani berpeluang menjual vanili kering dengan harga 20-30 "
            "persen lebih tinggi dibandingkan vanili yang diolah seadanya.</p>\n"
            "<p>Metode air panas juga tergolong murah karena hanya memerlukan panci besar, "
            "termometer, dan keranjang kawat. Balai tengah menyiapkan video panduan yang akan "
            "ditayangkan melalui kanal <a "
            'href="https://balittri.example.go.id/tv-tani">TV-Tani</a> agar mudah dipraktikkan '
            "oleh kelompok tani.</p>"
        ),
    },
    {
        "title": "Penerimaan Mahasiswa Praktik Kerja Lapangan dan Magang Tahun 2026",
        "alias": "penerimaan-mahasiswa-praktik-kerja-lapangan-dan-magang-tahun-2026",
        "category": "pengumuman",
        "author": "Dwi Rahmawati",
        "created": "2026-05-06 08:20",
        "featured": False,
        "hits": 1540,
        "metadesc": (
            "Balai membuka kesempatan praktik kerja lapangan dan magang bagi mahasiswa dan siswa "
            "SMK pertanian tahun 2026."
        ),
        "intro": (
            "<p>Balai membuka kesempatan bagi mahasiswa perguruan tinggi dan siswa sekolah "
            "menengah kejuruan pertanian untuk melaksanakan praktik kerja lapangan dan magang. "
            "Peserta akan terlibat langsung dalam kegiatan penelitian dan perbenihan.</p>"
        ),
        "body": (
            "<p>Program ini diselenggarakan dalam dua periode, yaitu Juli hingga Agustus dan "
            "Oktober hingga Desember 2026. Setiap periode memiliki kuota terbatas yang disesuaikan "
            "dengan kapasitas pembimbing di masing-masing kelompok peneliti.</p>\n"
            "<h3>Bidang Penempatan</h3>\n"
            "<ul><li>pemuliaan dan perbenihan kopi, kakao, dan teh;</li><li>proteksi tanaman (hama "
            "dan penyakit);</li><li>ekofisiologi dan budidaya tanaman rempah;</li><li>pascapanen "
            "dan pengolahan hasil;</li><li>pengelolaan data dan diseminasi informasi.</li></ul>\n"
            "<h3>Persyaratan</h3>\n"
            "<ol><li>Surat permohonan dari perguruan tinggi atau sekolah.</li><li>Proposal singkat "
            "kegiatan yang akan dilakukan.</li><li>Daftar riwayat hidup dan pas foto "
            "terbaru.</li><li>Surat pernyataan bersedia mematuhi tata tertib Balai.</li></ol>\n"
            '<p>Berkas dikirim melalui <a href="https://balittri.example.go.id/satu-layanan">Satu '
            "Layanan</a> paling lambat 12 Juni 2026 untuk periode pertama dan 31 Agustus 2026 "
            "untuk periode kedua. Peserta yang diterima akan diberi tahu melalui surat "
            "elektronik.</p>\n"
            "<p>Program praktik kerja lapangan dan magang tidak dipungut biaya. Peserta menanggung "
            "sendiri biaya akomodasi dan transportasi selama pelaksanaan kegiatan.</p>"
        ),
    },
    {
        "title": "Delegasi Dinas Perkebunan Sulawesi Tengah Studi Banding Perbenihan Kakao",
        "alias": "delegasi-dinas-perkebunan-sulawesi-tengah-studi-banding-perbenihan-kakao",
        "category": "berita",
        "author": "Hendra Saputra",
        "created": "2026-05-26 11:40",
        "featured": False,
        "hits": 934,
        "metadesc": (
            "Delegasi dari Sulawesi Tengah mempelajari pengelolaan kebun entres dan sertifikasi "
            "benih kakao di Balai."
        ),
        "intro": (
            "<p>Delegasi dinas perkebunan Provinsi Sulawesi Tengah berkunjung ke Balai untuk "
            "mempelajari pengelolaan kebun entres dan sertifikasi benih kakao. Kunjungan ini "
            "menjadi bagian dari persiapan program peremajaan kakao di provinsi tersebut.</p>"
        ),
        "body": (
            "<p>Sulawesi Tengah merupakan salah satu sentra kakao terbesar di Indonesia, tetapi "
            "sebagian besar tanamannya sudah berumur tua. Pemerintah provinsi berencana "
            "meremajakan ribuan hektare kebun dalam lima tahun ke depan, sehingga membutuhkan "
            "pasokan entres unggul dalam jumlah besar.</p>\n"
            "<p>Rombongan yang terdiri atas 18 orang pejabat, pengawas benih, dan penangkar diajak "
            "berkeliling kebun entres klon KSB 3 dan KSB 5 yang dilepas awal tahun ini. Peneliti "
            "Balai menjelaskan cara menjaga kemurnian klon, mulai dari pelabelan pohon, pencatatan "
            "produksi entres, hingga pengemasan agar entres tetap segar selama pengiriman jarak "
            "jauh.</p>\n"
            '<p>"Kami ingin membangun kebun entres sendiri di kabupaten-kabupaten sentra agar '
            'tidak bergantung pada pengiriman dari Jawa," kata ketua delegasi.</p>\n'
            "<p>Kedua pihak sepakat menindaklanjuti kunjungan dengan penyusunan nota kesepahaman. "
            "Ruang lingkup kerja sama yang dibahas meliputi:</p>\n"
            "<ul><li>pendampingan pembangunan kebun entres di tiga kabupaten;</li><li>pelatihan "
            "bagi penangkar dan pengawas benih;</li><li>uji adaptasi klon unggul baru di lahan "
            "petani.</li></ul>"
        ),
    },
    {
        "title": "Perbanyakan Bibit Lada secara Cepat dengan Stek Satu Ruas",
        "alias": "perbanyakan-bibit-lada-secara-cepat-dengan-stek-satu-ruas",
        "category": "teknologi-budidaya",
        "author": "Rina Kusumawardani",
        "created": "2026-06-16 09:55",
        "featured": False,
        "hits": 1275,
        "metadesc": (
            "Teknik stek satu ruas berdaun tunggal memungkinkan satu sulur lada menghasilkan bibit "
            "dalam jumlah berlipat."
        ),
        "intro": (
            "<p>Kebutuhan bibit lada untuk peremajaan kebun terus meningkat, sementara "
            "ketersediaan sulur panjat sebagai bahan stek terbatas. Teknik stek satu ruas berdaun "
            "tunggal memungkinkan satu sulur menghasilkan bibit dalam jumlah berlipat.</p>"
        ),
        "body": (
            "<p>Cara konvensional umumnya menggunakan stek panjang lima hingga tujuh ruas. Dengan "
            "teknik stek satu ruas, sulur yang sama dapat menghasilkan lima hingga tujuh bibit "
            "sekaligus. Bibit yang dihasilkan juga lebih seragam dan mudah diangkut.</p>\n"
            "<h2>Tahapan Pembibitan</h2>\n"
            "<ol><li>Pilih sulur panjat dari tanaman induk yang sehat dan berumur satu hingga tiga "
            "tahun.</li><li>Potong sulur menjadi stek satu ruas dengan satu helai daun utuh dan "
            "akar lekat yang masih segar.</li><li>Rendam pangkal stek dalam larutan zat pengatur "
            "tumbuh selama sepuluh menit.</li><li>Tanam stek di polibag berisi campuran tanah, "
            "pupuk kandang, dan pasir dengan perbandingan 2:1:1.</li><li>Tempatkan polibag di "
            "bawah sungkup plastik dengan naungan paranet 65-75 persen.</li></ol>\n"
            "<p>Kelembapan di dalam sungkup harus dijaga tetap tinggi, sekitar 80-90 persen, "
            "terutama pada empat minggu pertama. Sungkup dibuka secara bertahap setelah tunas baru "
            "tumbuh, biasanya pada minggu keenam hingga kedelapan.</p>\n"
            "<p>Bibit siap dipindahkan ke kebun setelah berumur empat hingga lima bulan dan "
            "memiliki lima sampai tujuh helai daun. Tingkat keberhasilan teknik ini di persemaian "
            "Balai mencapai lebih dari 85 persen.</p>"
        ),
    },
    {
        "title": "Mengenal Peran Pohon Penaung di Kebun Kopi",
        "alias": "mengenal-peran-pohon-penaung-di-kebun-kopi",
        "category": "artikel",
        "author": "Bambang Wicaksono",
        "created": "2026-07-21 14:05",
        "featured": False,
        "hits": 2870,
        "metadesc": (
            "Fungsi, jenis, dan cara mengatur kerapatan pohon penaung agar kebun kopi tetap "
            "produktif."
        ),
        "intro": (
            "<p>Kopi berasal dari hutan tropis yang teduh, sehingga kehadiran pohon penaung sangat "
            "memengaruhi pertumbuhan dan produksinya. Namun, naungan yang terlalu rapat justru "
            "dapat menurunkan hasil panen.</p>"
        ),
        "body": (
            "<p>Pohon penaung berfungsi mengurangi intensitas cahaya matahari, menjaga suhu dan "
            "kelembapan kebun, serta menekan pertumbuhan gulma. Pada musim kemarau, naungan "
            "membantu tanaman kopi terhindar dari stres kekeringan yang dapat menyebabkan bunga "
            "dan buah muda rontok.</p>\n"
            "<h2>Jenis Penaung yang Umum Digunakan</h2>\n"
            "<ul><li><strong>Penaung sementara</strong>, seperti orok-orok dan kaliandra, ditanam "
            "saat kopi masih muda dan dikurangi setelah penaung tetap "
            "tumbuh.</li><li><strong>Penaung tetap</strong>, seperti lamtoro dan dadap, yang mampu "
            "mengikat nitrogen dari udara sehingga menyuburkan tanah.</li><li><strong>Penaung "
            "produktif</strong>, seperti alpukat, petai, atau jeruk, yang memberikan tambahan "
            "pendapatan bagi petani.</li></ul>\n"
            "<h3>Mengatur Kerapatan Naungan</h3>\n"
            "<p>Untuk kopi robusta di dataran rendah, naungan yang ideal meneruskan sekitar 50-70 "
            "persen cahaya matahari. Penaung perlu dipangkas setiap awal musim hujan agar cahaya "
            "yang masuk cukup untuk pembentukan bunga.</p>\n"
            "<p>Kebun kopi dengan penaung yang beragam juga menjadi habitat bagi burung dan "
            "serangga penyerbuk, sehingga mendukung keseimbangan ekosistem. Tidak mengherankan "
            "bila konsumen di pasar kopi spesialti semakin menghargai kopi yang ditanam di bawah "
            "naungan.</p>\n"
            "<p>Petani yang ingin berkonsultasi mengenai pemilihan dan pengaturan penaung dapat "
            'menghubungi layanan <a href="https://balittri.example.go.id/pakar-kopi">Pakar '
            "Kopi</a> Balai.</p>"
        ),
    },
    {
        "title": "Tim Penilai Nasional Lakukan Evaluasi Lapangan Zona Integritas",
        "alias": "tim-penilai-nasional-lakukan-evaluasi-lapangan-zona-integritas",
        "category": "kegiatan",
        "author": "Agus Setiawan",
        "created": "2026-09-08 10:45",
        "featured": False,
        "hits": 880,
        "metadesc": (
            "Tim Penilai Nasional meninjau ruang layanan dan mewawancarai pegawai dalam evaluasi "
            "lapangan Zona Integritas."
        ),
        "intro": (
            "<p>Tim Penilai Nasional dari Kementerian Pendayagunaan Aparatur Negara dan Reformasi "
            "Birokrasi melakukan evaluasi lapangan terhadap pembangunan Zona Integritas di Balai. "
            "Evaluasi ini merupakan tahap akhir penilaian usulan predikat Wilayah Bebas dari "
            "Korupsi tahun 2026.</p>"
        ),
        "body": (
            "<p>Tim penilai disambut oleh Kepala Balai beserta jajaran dan para agen perubahan. "
            "Dalam paparan pembuka, Kepala Balai menyampaikan inovasi yang telah dijalankan, "
            "antara lain layanan pemesanan benih daring, papan informasi waktu layanan, dan kanal "
            "pengaduan yang terhubung dengan SP4N-LAPOR!.</p>\n"
            "<p>Evaluasi tidak hanya dilakukan melalui pemeriksaan dokumen. Tim juga meninjau "
            "ruang layanan, mewawancarai pegawai secara acak, dan berbincang dengan pengguna "
            "layanan yang sedang berada di kantor.</p>\n"
            "<p>Beberapa aspek yang menjadi perhatian tim penilai adalah:</p>\n"
            "<ul><li>konsistensi pelaksanaan rencana aksi pada enam area perubahan;</li><li>tindak "
            "lanjut hasil survei kepuasan masyarakat;</li><li>penanganan laporan gratifikasi dan "
            "pengaduan;</li><li>keterlibatan pimpinan dalam membangun budaya kerja.</li></ul>\n"
            "<p>Salah seorang pengguna layanan, Darmawan, pengurus koperasi kopi di Kabupaten "
            'Cianjur, mengaku merasakan perubahan dalam beberapa tahun terakhir. "Dulu saya harus '
            "bolak-balik untuk memesan bibit. Sekarang cukup lewat formulir daring dan jadwal "
            'pengambilannya jelas," ujarnya.</p>\n'
            "<p>Hasil penilaian akan diumumkan oleh kementerian menjelang akhir tahun. Kepala "
            "Balai berharap, apa pun hasilnya, seluruh pegawai tetap menjaga komitmen yang telah "
            "dibangun.</p>"
        ),
    },
    {
        "title": "Pengumuman Pemenang Tender Rehabilitasi Rumah Kaca Kebun Percobaan",
        "alias": "pengumuman-pemenang-tender-rehabilitasi-rumah-kaca-kebun-percobaan",
        "category": "pengumuman",
        "author": "Fitri Handayani",
        "created": "2026-09-22 13:00",
        "featured": False,
        "hits": 412,
        "metadesc": (
            "Pokja Pemilihan mengumumkan pemenang tender rehabilitasi rumah kaca kebun percobaan "
            "tahun anggaran 2026."
        ),
        "intro": (
            "<p>Kelompok Kerja (Pokja) Pemilihan mengumumkan pemenang tender pekerjaan "
            "rehabilitasi rumah kaca di kebun percobaan tahun anggaran 2026. Pengumuman ini "
            "disampaikan sebagai bagian dari keterbukaan informasi pengadaan barang dan jasa.</p>"
        ),
        "body": (
            "<p>Berdasarkan hasil evaluasi administrasi, teknis, harga, dan kualifikasi, Pokja "
            "Pemilihan menetapkan pemenang tender sebagai berikut:</p>\n"
            "<ul><li><strong>Nama paket</strong>: Rehabilitasi Rumah Kaca Pembibitan dan Instalasi "
            "Irigasi Kabut</li><li><strong>Pemenang</strong>: CV Bangun Hijau "
            "Sentosa</li><li><strong>Nilai penawaran terkoreksi</strong>: "
            "Rp684.275.000,00</li><li><strong>Jangka waktu pelaksanaan</strong>: 90 hari "
            "kalender</li></ul>\n"
            "<p>Peserta tender yang berkeberatan atas penetapan pemenang dapat mengajukan sanggah "
            'secara elektronik melalui <a href="https://lpse.pertanian.go.id/">LPSE Kementerian '
            "Pertanian</a> dalam waktu lima hari kalender setelah pengumuman ini. Sanggahan yang "
            "disampaikan di luar sistem tidak akan ditanggapi.</p>\n"
            "<p>Apabila tidak ada sanggah atau sanggah dinyatakan tidak benar, proses dilanjutkan "
            "dengan penerbitan surat penunjukan penyedia barang/jasa dan penandatanganan kontrak. "
            "Pekerjaan direncanakan dimulai pada awal Oktober 2026 sehingga rumah kaca dapat "
            "digunakan kembali untuk pembibitan musim tanam berikutnya.</p>\n"
            "<p>Pokja Pemilihan mengucapkan terima kasih kepada seluruh peserta tender. Seluruh "
            "proses pengadaan di lingkungan Balai tidak dipungut biaya dan bebas dari praktik "
            "suap.</p>"
        ),
    },
    {
        "title": "Peringati Hari Kopi Internasional dengan Uji Cita Rasa Kopi Petani Binaan",
        "alias": "peringati-hari-kopi-internasional-dengan-uji-cita-rasa-kopi-petani-binaan",
        "category": "kegiatan",
        "author": "Dwi Rahmawati",
        "created": "2026-10-01 09:30",
        "featured": True,
        "hits": 2105,
        "metadesc": (
            "Sebanyak 21 dari 36 sampel kopi petani binaan meraih nilai spesialti dalam uji cita "
            "rasa Hari Kopi Internasional."
        ),
        "intro": (
            "<p>Memperingati Hari Kopi Internasional, Balai menggelar uji cita rasa kopi hasil "
            "petani binaan dari berbagai daerah. Sebanyak 36 sampel robusta dan arabika dinilai "
            "oleh panel penguji cita rasa bersertifikat.</p>"
        ),
        "body": (
            "<p>Kegiatan ini bertujuan memberikan umpan balik kepada petani tentang mutu kopi yang "
            "mereka hasilkan sekaligus memperkenalkan kopi dari kebun rakyat kepada pelaku usaha. "
            "Setiap sampel dinilai berdasarkan aroma, rasa, keasaman, kekentalan, rasa akhir, dan "
            "keseimbangan.</p>\n"
            "<p>Hasilnya cukup menggembirakan. Sebanyak 21 sampel memperoleh nilai di atas 80 "
            "sehingga masuk kategori kopi spesialti. Sampel robusta terbaik berasal dari kelompok "
            "tani di Kabupaten Sukabumi yang menanam klon Robusta Parungkuda 1 dan mengolahnya "
            "secara semibasah.</p>\n"
            "<p>Ketua panel penguji, Andri Kurniawan, menilai mutu kopi robusta rakyat meningkat "
            'dibandingkan beberapa tahun lalu. "Petani makin disiplin memetik buah merah dan '
            "mengeringkan biji di para-para, bukan di atas tanah. Perubahan kecil itu berdampak "
            'besar pada rasa," katanya.</p>\n'
            "<p>Selain uji cita rasa, kegiatan juga dimeriahkan dengan:</p>\n"
            "<ul><li>temu bisnis antara kelompok tani dan pemilik kedai kopi;</li><li>kelas seduh "
            "manual untuk masyarakat umum;</li><li>pameran alat pascapanen kopi skala "
            "kecil.</li></ul>\n"
            "<p>Sampel dengan nilai tertinggi akan diikutsertakan dalam pameran kopi nasional "
            "bulan depan.</p>"
        ),
    },
    {
        "title": "Balai Raih Predikat Wilayah Bebas dari Korupsi",
        "alias": "balai-raih-predikat-wilayah-bebas-dari-korupsi",
        "category": "berita",
        "author": "Agus Setiawan",
        "created": "2026-11-10 10:30",
        "featured": True,
        "hits": 3480,
        "metadesc": (
            "Balai meraih predikat Wilayah Bebas dari Korupsi setelah hampir dua tahun membenahi "
            "tata kelola dan pelayanan publik."
        ),
        "intro": (
            "<p>Balai Penelitian Tanaman Industri dan Penyegar resmi meraih predikat Wilayah Bebas "
            "dari Korupsi (WBK) dari Kementerian Pendayagunaan Aparatur Negara dan Reformasi "
            "Birokrasi. Predikat ini diraih setelah hampir dua tahun pembenahan tata kelola dan "
            "pelayanan publik.</p>"
        ),
        "body": (
            "<p>Hasil penilaian disampaikan dalam acara penganugerahan yang dihadiri pimpinan "
            "instansi pemerintah dari seluruh Indonesia. Balai menjadi salah satu unit kerja "
            "lingkup penelitian pertanian yang memperoleh predikat WBK tahun ini.</p>\n"
            "<p>Kepala Balai menyebut predikat tersebut sebagai hasil kerja bersama seluruh "
            'pegawai. "Ini bukan garis akhir. Predikat WBK justru menjadi pengingat bahwa '
            'masyarakat akan menilai kita dengan standar yang lebih tinggi," ujarnya.</p>\n'
            "<h2>Perubahan yang Dirasakan</h2>\n"
            "<p>Sejak komitmen bersama ditandatangani pada awal 2025, sejumlah perbaikan telah "
            "dilakukan, antara lain:</p>\n"
            "<ul><li>pemesanan benih dan bibit secara daring dengan jadwal pengambilan yang "
            "pasti;</li><li>publikasi tarif layanan dan standar waktu penyelesaian di ruang "
            "layanan dan laman resmi;</li><li>penguatan Unit Pengendali Gratifikasi dan kanal "
            "Whistleblowing System;</li><li>survei kepuasan masyarakat setiap semester dengan "
            "hasil yang diumumkan secara terbuka.</li></ul>\n"
            "<p>Nilai indeks kepuasan masyarakat juga terus meningkat, dari 87,17 pada semester "
            "pertama 2025 menjadi 91,05 pada semester pertama 2026.</p>\n"
            "<p>Ke depan, Balai menargetkan predikat Wilayah Birokrasi Bersih dan Melayani (WBBM). "
            "Masyarakat dapat terus memberikan masukan melalui <a "
            'href="https://www.lapor.go.id/">SP4N-LAPOR!</a> maupun kanal pengaduan yang tersedia '
            "di laman Balai.</p>"
        ),
    },
]

ABOUT_ARTICLE: dict[str, object] = {
    "title": "Tentang Balai",
    "alias": "tentang-balai",
    "category": "artikel",
    "author": "Fitri Handayani",
    "created": "2025-01-02 08:00",
    "featured": False,
    "hits": 4120,
    "metadesc": (
        "Profil, mandat, fasilitas, alamat, dan kontak Balai Penelitian Tanaman Industri dan "
        "Penyegar."
    ),
    "intro": (
        "<p>Balai Penelitian Tanaman Industri dan Penyegar adalah unit pelaksana teknis di bidang "
        "penelitian tanaman perkebunan yang berkedudukan di Parungkuda, Kabupaten Sukabumi, Jawa "
        "Barat. Balai mengemban tugas menghasilkan inovasi teknologi untuk kopi, kakao, teh, "
        "karet, tanaman rempah, dan tanaman industri lainnya.</p>"
    ),
    "body": (
        "<h2>Mandat dan Fungsi</h2>\n"
        "<p>Balai melaksanakan penelitian pemuliaan, budidaya, perlindungan tanaman, dan "
        "pascapanen tanaman industri dan penyegar. Hasil penelitian tersebut kemudian "
        "didiseminasikan kepada petani, penyuluh, pelaku usaha, dan pemerintah daerah agar dapat "
        "dimanfaatkan secara luas.</p>\n"
        "<ul><li>perakitan varietas dan klon unggul beserta produksi benih "
        "sumbernya;</li><li>pengembangan teknologi budidaya dan pengendalian hama penyakit yang "
        "ramah lingkungan;</li><li>pengembangan teknologi pascapanen untuk meningkatkan mutu dan "
        "nilai tambah hasil;</li><li>pelayanan jasa laboratorium, konsultasi teknis, serta "
        "pelatihan bagi masyarakat.</li></ul>\n"
        "<h2>Fasilitas</h2>\n"
        "<p>Untuk mendukung kegiatannya, Balai memiliki kebun percobaan di dataran rendah dan "
        "dataran tinggi, kebun koleksi plasma nutfah, rumah kaca, laboratorium kultur jaringan, "
        "laboratorium proteksi tanaman, laboratorium tanah dan mutu hasil, serta unit pengolahan "
        "kopi dan kakao skala kecil. Koleksi publikasi dapat diakses melalui <a "
        'href="https://balittri.example.go.id/perpustakaan-digital">perpustakaan digital</a>.</p>\n'
        "<h2>Alamat dan Kontak</h2>\n"
        "<p>Jalan Raya Siliwangi Km 3, Kecamatan Parungkuda, Kabupaten Sukabumi, Jawa Barat "
        "43357<br>Telepon: (0266) 531-0000<br>Surel: <a "
        'href="mailto:info@balittri.example.go.id">info@balittri.example.go.id</a></p>\n'
        "<p>Layanan tatap muka dibuka Senin sampai Jumat pukul 08.00-16.00 WIB, kecuali hari libur "
        "nasional. Permohonan informasi, pemesanan benih, dan pengaduan juga dapat disampaikan "
        'setiap saat melalui <a href="https://balittri.example.go.id/satu-layanan">Satu '
        "Layanan</a>.</p>"
    ),
}
