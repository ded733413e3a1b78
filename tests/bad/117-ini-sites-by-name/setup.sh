sed -i '27s#^sites = hospital#sites = 示例县人民医院#' vdsched.ini
