"""pykakasi opens its dictionaries (``data/*.db``) beside its module: ship them."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("pykakasi")
