# Menu and search: every page in one place and the top bar's search box.
menu-title = Menu
menu-search = Search the menu
menu-search-placeholder = Search the menu… (key /)
menu-search-button = Search
menu-found = Pages found
menu-none = Nothing in the menu matches “{ $q }”.
menu-more = See everything found
menu-all = See the whole menu
