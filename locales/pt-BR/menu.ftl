# Menu e pesquisa: todas as páginas num só lugar e a busca da barra superior.
menu-title = Menu
menu-search = Pesquisar no menu
menu-search-placeholder = Pesquisar no menu… (tecla /)
menu-search-button = Pesquisar
menu-found = Páginas encontradas
menu-none = Nada no menu com «{ $q }».
menu-more = Ver tudo o que foi encontrado
menu-all = Ver o menu completo
