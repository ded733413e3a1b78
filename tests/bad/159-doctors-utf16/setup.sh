# "Unicode text" from Excel: UTF-16 with a BOM
iconv -f UTF-8 -t UTF-16 doctors.csv >d.new && mv d.new doctors.csv
