iconv -f UTF-8 -t GBK clinics.csv >c.new && mv c.new clinics.csv
