"""Videos, the institute's social accounts, the download library and the link banners.

One module each: `videos`, `social`, `downloads` (records) with `uploads` (checking a file) and
`files` (keeping it on disk), `banners`, and `removal`; `fields` holds what their forms share.
The names the views and the sidebar use are offered here too.
"""

from content.media.banners import (
    BannerDraft,
    BannerLink,
    count_click,
    get_banner,
    list_banners,
    parse_banner_form,
    safe_target,
    save_banner,
)
from content.media.downloads import (
    Download,
    DownloadDraft,
    count_download,
    delete_download,
    download_categories,
    get_download,
    latest_downloads,
    list_downloads,
    parse_download_form,
    save_download,
)
from content.media.files import content_disposition, format_size, stored_path
from content.media.removal import delete_item
from content.media.social import (
    NETWORKS,
    SocialAccount,
    SocialDraft,
    get_social,
    list_social,
    parse_social_form,
    save_social,
)
from content.media.uploads import FileKind, allowed_kinds, check_upload, clean_filename
from content.media.videos import (
    PROVIDER_NAMES,
    Video,
    VideoDraft,
    allowed_providers,
    get_video,
    list_videos,
    parse_video_form,
    save_video,
)

__all__ = [
    "NETWORKS",
    "PROVIDER_NAMES",
    "BannerDraft",
    "BannerLink",
    "Download",
    "DownloadDraft",
    "FileKind",
    "SocialAccount",
    "SocialDraft",
    "Video",
    "VideoDraft",
    "allowed_kinds",
    "allowed_providers",
    "check_upload",
    "clean_filename",
    "content_disposition",
    "count_click",
    "count_download",
    "delete_download",
    "delete_item",
    "download_categories",
    "format_size",
    "get_banner",
    "get_download",
    "get_social",
    "get_video",
    "latest_downloads",
    "list_banners",
    "list_downloads",
    "list_social",
    "list_videos",
    "parse_banner_form",
    "parse_download_form",
    "parse_social_form",
    "parse_video_form",
    "safe_target",
    "save_banner",
    "save_download",
    "save_social",
    "save_video",
    "stored_path",
]
