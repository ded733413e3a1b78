# Excel on Chinese Windows saves CSV in GBK
iconv -f UTF-8 -t GBK doctors.csv >d.new && mv d.new doctors.csv
