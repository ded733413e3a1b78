# declared GBK, but line 6 holds a byte that no GBK text has
iconv -f UTF-8 -t GBK doctors.csv >d.new && mv d.new doctors.csv
sed -i '6s/,tcm,/,tcm\xff,/' doctors.csv
