# Excel on Chinese Windows saves CSV in GBK with CRLF line ends: the first
# line with a GBK character is named, not the one after it
iconv -f UTF-8 -t GBK doctors.csv >d.new && sed 's/$/\r/' d.new >doctors.csv && rm d.new
