%# One list of the navigation.  A page's link is written <a href="URL">, a
%# chapter's <a class="nav-chapter" href="URL">: the server finds the link
%# of the page shown in this form to mark it.
<ol>
% for entry in entries:
%   if entry.kind == "section":
  <li class="nav-section"><details{{!" open" if entry.open else ""}}><summary><span class="nav-number">{{entry.number}}</span> {{entry.label}}</summary>
%     include('nav_list', entries=entry.entries)
  </details></li>
%   elif entry.kind == "chapter":
  <li class="nav-chapter-item{{" nav-open" if entry.open else ""}}"><a class="nav-chapter" href="{{entry.url}}"><span class="nav-number">{{entry.number}}</span> {{entry.label}}</a>
%     if entry.entries:
%       include('nav_list', entries=entry.entries)
%     end
  </li>
%   elif entry.kind == "more":
  <li class="nav-more"><a class="nav-more-link" href="{{entry.url}}">… {{entry.label}}</a></li>
%   else:
  <li><a href="{{entry.url}}"><span class="nav-number">{{entry.number}}</span> {{entry.label}}</a></li>
%   end
% end
</ol>
