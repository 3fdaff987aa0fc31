# Menú y búsqueda: todas las páginas en un solo lugar y la búsqueda de la barra superior.
menu-title = Menú
menu-search = Buscar en el menú
menu-search-placeholder = Buscar en el menú… (tecla /)
menu-search-button = Buscar
menu-found = Páginas encontradas
menu-none = Nada en el menú coincide con «{ $q }».
menu-more = Ver todo lo encontrado
menu-all = Ver el menú completo
