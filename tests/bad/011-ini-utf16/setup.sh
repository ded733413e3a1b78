iconv -f UTF-8 -t UTF-16 vdsched.ini >v.new && mv v.new vdsched.ini
